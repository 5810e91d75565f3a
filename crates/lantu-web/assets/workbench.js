// The review workbench (审核工作台): selecting a stretch of the plan's text
// offers to add it as a target. Every action also works without this
// script (the page's plain forms); served from the binary, no CDN.
(function () {
  "use strict";
  var pane = document.getElementById("plan-text");
  var link = document.getElementById("sel-add");
  if (!pane || !link) return;
  // Character offset of a DOM position: each stretch of text carries the
  // offset of its first character in data-o; characters, not UTF-16 units.
  function offsetOf(node, off) {
    if (node.nodeType === 1 && !node.hasAttribute("data-o")) {
      var child = node.childNodes[off];
      if (child && child.nodeType === 1 && child.hasAttribute("data-o")) {
        return parseInt(child.getAttribute("data-o"), 10);
      }
      var prev = node.childNodes[off - 1];
      if (prev && prev.nodeType === 1 && prev.hasAttribute("data-o")) {
        return parseInt(prev.getAttribute("data-o"), 10) + Array.from(prev.textContent).length;
      }
      return null;
    }
    var el = node.nodeType === 3 ? node.parentElement : node;
    while (el && !el.hasAttribute("data-o")) el = el.parentElement;
    if (!el || !pane.contains(el)) return null;
    var base = parseInt(el.getAttribute("data-o"), 10);
    if (node.nodeType === 3) return base + Array.from(node.data.slice(0, off)).length;
    return base + (off > 0 ? Array.from(el.textContent).length : 0);
  }
  function onSelect() {
    var s = window.getSelection();
    if (!s || s.rangeCount === 0 || s.isCollapsed) return;
    var r = s.getRangeAt(0);
    if (!pane.contains(r.commonAncestorContainer)) return;
    var a = offsetOf(r.startContainer, r.startOffset);
    var b = offsetOf(r.endContainer, r.endOffset);
    if (a === null || b === null || b <= a) return;
    link.href = "?sel=" + a + "-" + b + "#add";
    link.hidden = false;
    var shown = document.getElementById("sel-text");
    if (shown) shown.textContent = s.toString().slice(0, 60);
  }
  pane.addEventListener("mouseup", onSelect);
  pane.addEventListener("keyup", onSelect);
})();
