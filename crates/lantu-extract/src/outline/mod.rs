//! The plan's outline (纲目): parts 第X篇, chapters 第X章, sections 第X节,
//! boxes 专栏 and task items (the lead phrase opening a paragraph:
//! 推进生产绿色化。), each with the byte range of its heading and of its body,
//! so that any offset of the text can be placed in the outline.
//!
//! The rules are about the typography of Chinese plans, never about the words
//! of one plan:
//!
//! - 第X篇 (or 第X部分), 第X章, 第X节 at the start of a short line, X in
//!   Chinese numerals or Arabic digits, stray spaces allowed (第 三 章). A
//!   heading that ends with a comma continues on the next short line; one with
//!   no title takes the next short line as its title.
//! - Plans without 第X章 number their chapters "一、" and their sections
//!   "（一）"; a plan with 第X章 but no 第X节 uses the first of those styles it
//!   has for its sections.
//! - 专栏 lines (专栏1, 专栏 2-3, 专栏一：) open a box, which runs until the
//!   next heading or the first line of running prose: a paragraph opening
//!   with a task lead, or a long line of several sentences ending in 。 that
//!   does not open like a table row or list entry. A box belongs to the
//!   section it appears in; its id counts boxes per chapter (`c3.b1`).
//! - A paragraph whose first sentence is short (at most 40 characters) and
//!   which goes on after it is a task item titled by that sentence, without
//!   its 。 and without a leading dash (——) or enumerator ((一), 1.); a first
//!   sentence stating a year or a percentage (到2025年……) is prose. Items sit
//!   under the innermost section, chapter or part; before any heading there
//!   are none (title lines and preamble yield no nodes).
//! - Table-of-contents lines (headings followed by page numbers or dot
//!   leaders, or a run of bare headings whose numbering starts again later)
//!   are recorded in [`Outline::toc`] and yield no nodes.
//!
//! One pass classifies the lines; a second builds the nodes. No regular
//! expressions.

mod numeral;
mod scan;

use std::collections::HashMap;
use std::ops::Range;

use crate::model::{NodeLevel, OutlineNode, Span};
use crate::text::CharIndex;
use scan::{Kind, Line, Style};

/// One outline node in document order, with byte ranges of the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlatNode {
    /// Same id as the [`OutlineNode`]: `p1`, `p1.c2`, `c3.s1`, `c3.s1.i4`, `c3.b1`…
    pub id: String,
    pub level: NodeLevel,
    /// The ordinal the text gives (第十二章 → 12), if any.
    pub number: Option<u32>,
    pub title: String,
    /// Bytes of the heading itself (for an item: its lead phrase with the 。).
    pub heading: Range<usize>,
    /// Bytes from the start of the heading to the next heading of the same or
    /// a higher level (a box ends earlier, at the first line of prose).
    pub body: Range<usize>,
    /// Index of the parent in [`Outline::nodes`].
    pub parent: Option<usize>,
}

/// The outline of one plan text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Outline {
    /// The tree, spans in characters.
    pub roots: Vec<OutlineNode>,
    /// The same nodes, flat, in document order (parents before children).
    pub nodes: Vec<FlatNode>,
    toc: Vec<Range<usize>>,
}

impl Outline {
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// All nodes in document order.
    pub fn nodes(&self) -> &[FlatNode] {
        &self.nodes
    }

    /// The node with this id.
    pub fn get(&self, id: &str) -> Option<&FlatNode> {
        self.nodes.iter().find(|n| n.id == id)
    }

    /// Index in [`Outline::nodes`] of the innermost node whose body holds
    /// byte `byte`.
    pub fn innermost_index(&self, byte: usize) -> Option<usize> {
        // Nodes are in pre-order: the last one starting at or before `byte`
        // is the innermost candidate; if its body has ended, one of its
        // ancestors may still hold the byte.
        let k = self.nodes.partition_point(|n| n.heading.start <= byte);
        let mut i = k.checked_sub(1)?;
        loop {
            let n = &self.nodes[i];
            if n.body.contains(&byte) {
                return Some(i);
            }
            i = n.parent?;
        }
    }

    /// Innermost node containing byte offset `byte` of the text (a node's
    /// body runs from its heading to the next heading of the same or higher
    /// level).
    pub fn innermost(&self, byte: usize) -> Option<&FlatNode> {
        self.innermost_index(byte).map(|i| &self.nodes[i])
    }

    /// The innermost node holding `byte` and its ancestors, innermost first.
    pub fn path(&self, byte: usize) -> impl Iterator<Item = &FlatNode> + '_ {
        std::iter::successors(self.innermost_index(byte), |&i| self.nodes[i].parent).map(|i| &self.nodes[i])
    }

    /// Byte ranges of table-of-contents blocks (which yield no nodes).
    pub fn toc(&self) -> &[Range<usize>] {
        &self.toc
    }
}

/// Builds the outline of `text`; `idx` must be the [`CharIndex`] of `text`.
pub fn outline(text: &str, idx: &CharIndex) -> Outline {
    let lines = scan::lines(text);
    let (toc, in_toc) = find_toc(text, &lines);
    let levels = Levels::of(&lines, &in_toc);
    let mut b = Builder::new(text, &lines, &in_toc, levels);
    b.run();
    let nodes = b.finish();
    let spans: Vec<Span> = nodes.iter().map(|n| idx.span(text, n.heading.clone())).collect();
    let mut roots = Vec::new();
    let mut i = 0;
    while i < nodes.len() {
        roots.push(tree(&nodes, &spans, &mut i));
    }
    Outline { roots, nodes, toc }
}

/// The subtree rooted at `nodes[*i]`; advances `i` past it.
fn tree(nodes: &[FlatNode], spans: &[Span], i: &mut usize) -> OutlineNode {
    let me = *i;
    *i += 1;
    let mut children = Vec::new();
    while *i < nodes.len() && nodes[*i].parent == Some(me) {
        children.push(tree(nodes, spans, i));
    }
    let n = &nodes[me];
    OutlineNode {
        id: n.id.clone(),
        level: n.level,
        number: n.number,
        title: n.title.clone(),
        span: spans[me],
        children,
    }
}

fn is_short_plain(text: &str, l: &Line) -> bool {
    let s = l.text(text);
    !s.contains('。') && s.chars().nth(scan::MAX_WRAP_CHARS).is_none()
}

fn ends_with_comma(s: &str) -> bool {
    s.ends_with(['，', ',', '、'])
}

/// Table-of-contents blocks: runs of entries ending in page numbers, and runs
/// of bare headings whose first heading appears again later in the text.
fn find_toc(text: &str, lines: &[Line]) -> (Vec<Range<usize>>, Vec<bool>) {
    let mut in_toc = vec![false; lines.len()];
    let mut ranges = Vec::new();

    // Entries with page numbers. Blank lines, headings without page numbers
    // and up to two other short lines (a wrapped entry) may sit between
    // entries.
    let mut i = 0;
    while i < lines.len() {
        let Some(leaders) = lines[i].page else {
            i += 1;
            continue;
        };
        let (mut last, mut entries, mut any_leaders, mut gap) = (i, 1, leaders, 0);
        for (k, l) in lines.iter().enumerate().skip(i + 1) {
            if let Some(ld) = l.page {
                (last, gap) = (k, 0);
                entries += 1;
                any_leaders |= ld;
            } else if l.kind == Kind::Blank || matches!(l.kind, Kind::Head { .. }) && is_short_plain(text, l) {
                // An entry without a page number (sections often have none).
            } else if gap < 2 && !matches!(l.kind, Kind::Item { .. }) && is_short_plain(text, l) {
                gap += 1;
            } else {
                break;
            }
        }
        if entries >= 2 || any_leaders {
            last = trailing_entries(text, lines, i, last);
            let first = toc_start(text, lines, i);
            mark(&mut in_toc, &mut ranges, lines, first, last);
            i = last + 1;
        } else {
            i += 1;
        }
    }

    // Bare headings: a run of at least three headings with nothing between
    // them, opening with a part or chapter, two or more of the first one's
    // style, whose first heading (same style, same number) comes again after
    // the run.
    let mut last_seen = None;
    let mut i = 0;
    while i < lines.len() {
        let Kind::Head {
            style: style0,
            number: Some(num0),
            ..
        } = lines[i].kind
        else {
            i += 1;
            continue;
        };
        // A contents list opens with a part or a chapter.
        if in_toc[i] || matches!(style0, Style::Section | Style::ListSection) {
            i += 1;
            continue;
        }
        let (mut last, mut count, mut same) = (i, 0, 0);
        let mut j = i;
        while j < lines.len() && !in_toc[j] {
            let l = &lines[j];
            match l.kind {
                Kind::Blank => {}
                // The numbering starts again: the real headings follow the
                // contents right away.
                Kind::Head {
                    style, number: Some(n), ..
                } if j > i && style == style0 && n == num0 => break,
                Kind::Head { style, .. } => {
                    count += 1;
                    same += usize::from(style == style0);
                    last = j;
                }
                // The second line of a wrapped heading.
                Kind::Text if ends_with_comma(lines[last].text(text)) && last + 1 == j && is_short_plain(text, l) => {
                    last = j
                }
                _ => break,
            }
            j += 1;
        }
        let again = |last_seen: &mut Option<HashMap<(Style, u32), usize>>| {
            let seen = last_seen.get_or_insert_with(|| last_headings(lines, &in_toc));
            seen.get(&(style0, num0)).is_some_and(|&k| k >= j)
        };
        if count >= 3 && same >= 2 && again(&mut last_seen) {
            let first = toc_start(text, lines, i);
            mark(&mut in_toc, &mut ranges, lines, first, last);
        }
        i = j.max(i + 1);
    }
    ranges.sort_by_key(|r| r.start);
    (ranges, in_toc)
}

/// Line of the last heading of each style and number outside the contents.
fn last_headings(lines: &[Line], in_toc: &[bool]) -> HashMap<(Style, u32), usize> {
    let mut seen = HashMap::new();
    for (k, (l, &t)) in lines.iter().zip(in_toc).enumerate() {
        if let (
            Kind::Head {
                style, number: Some(n), ..
            },
            false,
        ) = (&l.kind, t)
        {
            seen.insert((*style, *n), k);
        }
    }
    seen
}

/// Entries without page numbers may follow the last numbered one: headings
/// up to the first heading of the contents seen again (the text proper).
fn trailing_entries(text: &str, lines: &[Line], first: usize, last: usize) -> usize {
    let Kind::Head {
        style: style0,
        number: Some(num0),
        ..
    } = lines[first].kind
    else {
        return last;
    };
    let mut end = last;
    for (k, l) in lines.iter().enumerate().skip(last + 1) {
        match l.kind {
            Kind::Blank => {}
            Kind::Head {
                style, number: Some(n), ..
            } if style == style0 && n == num0 => return end,
            Kind::Head { .. } if is_short_plain(text, l) => end = k,
            _ => break,
        }
    }
    last
}

/// Widens a table of contents starting at line `i` back over its title
/// (目录) and over a wrapped first entry.
fn toc_start(text: &str, lines: &[Line], i: usize) -> usize {
    let mut first = i;
    let mut wrapped = false;
    for j in (0..i).rev() {
        let l = &lines[j];
        let s = l.text(text);
        if l.kind == Kind::Blank {
            continue;
        }
        if scan::is_contents_title(s) {
            return j;
        }
        if !wrapped && j + 1 == first && ends_with_comma(s) && is_short_plain(text, l) {
            wrapped = true;
            first = j;
            continue;
        }
        break;
    }
    first
}

fn mark(in_toc: &mut [bool], ranges: &mut Vec<Range<usize>>, lines: &[Line], first: usize, last: usize) {
    in_toc[first..=last].iter_mut().for_each(|t| *t = true);
    ranges.push(lines[first].start..lines[last].end);
}

/// Which heading styles the text uses for which level.
#[derive(Debug, Clone, Copy)]
struct Levels {
    list_chapter: Option<NodeLevel>,
    list_section: Option<NodeLevel>,
}

impl Levels {
    fn of(lines: &[Line], in_toc: &[bool]) -> Levels {
        let (mut chapter, mut section, mut list_chapter) = (false, false, false);
        for (l, &t) in lines.iter().zip(in_toc) {
            if let (Kind::Head { style, .. }, false) = (&l.kind, t) {
                match style {
                    Style::Chapter => chapter = true,
                    Style::Section => section = true,
                    Style::ListChapter => list_chapter = true,
                    _ => {}
                }
            }
        }
        Levels {
            list_chapter: match (chapter, section) {
                (false, _) => Some(NodeLevel::Chapter),
                (true, false) => Some(NodeLevel::Section),
                (true, true) => None,
            },
            list_section: (!section && (!chapter || !list_chapter)).then_some(NodeLevel::Section),
        }
    }

    fn level(&self, style: Style) -> Option<NodeLevel> {
        match style {
            Style::Part => Some(NodeLevel::Part),
            Style::Chapter => Some(NodeLevel::Chapter),
            Style::Section => Some(NodeLevel::Section),
            Style::ListChapter => self.list_chapter,
            Style::ListSection => self.list_section,
        }
    }
}

/// Counters of the children of one node, for ids.
#[derive(Debug, Clone, Copy, Default)]
struct Counts {
    parts: u32,
    sections: u32,
    items: u32,
    boxes: u32,
}

struct Builder<'a> {
    text: &'a str,
    lines: &'a [Line],
    in_toc: &'a [bool],
    levels: Levels,
    nodes: Vec<FlatNode>,
    depth: Vec<u8>,
    counts: Vec<Counts>,
    root: Counts,
    chapters: u32,
    /// Where each box ends when prose ends it (by node index).
    box_ends: Vec<(usize, usize)>,
    part: Option<usize>,
    chapter: Option<usize>,
    section: Option<usize>,
    open_box: Option<usize>,
}

impl<'a> Builder<'a> {
    fn new(text: &'a str, lines: &'a [Line], in_toc: &'a [bool], levels: Levels) -> Self {
        Builder {
            text,
            lines,
            in_toc,
            levels,
            nodes: Vec::new(),
            depth: Vec::new(),
            counts: Vec::new(),
            root: Counts::default(),
            chapters: 0,
            box_ends: Vec::new(),
            part: None,
            chapter: None,
            section: None,
            open_box: None,
        }
    }

    fn counts(&mut self, of: Option<usize>) -> &mut Counts {
        match of {
            Some(i) => &mut self.counts[i],
            None => &mut self.root,
        }
    }

    fn id(&self, scope: Option<usize>, tail: std::fmt::Arguments) -> String {
        match scope {
            Some(i) => format!("{}.{}", self.nodes[i].id, tail),
            None => tail.to_string(),
        }
    }

    fn push(
        &mut self,
        id: String,
        level: NodeLevel,
        number: Option<u32>,
        title: String,
        heading: Range<usize>,
        parent: Option<usize>,
    ) -> usize {
        let depth = parent.map_or(0, |p| self.depth[p] + 1);
        let body = heading.start..self.text.len();
        self.nodes.push(FlatNode {
            id,
            level,
            number,
            title,
            heading,
            body,
            parent,
        });
        self.depth.push(depth);
        self.counts.push(Counts::default());
        self.nodes.len() - 1
    }

    /// The line that continues the title of the heading on line `i`: the next
    /// short line without 。 when the title is empty or ends with a comma.
    fn continuation(&self, i: usize, title: &str) -> Option<usize> {
        if !title.is_empty() && !ends_with_comma(title) {
            return None;
        }
        let j = (i + 1..self.lines.len()).find(|&j| self.lines[j].kind != Kind::Blank)?;
        let l = &self.lines[j];
        (l.kind == Kind::Text && !self.in_toc[j] && l.page.is_none() && is_short_plain(self.text, l)).then_some(j)
    }

    /// Title and heading range of a heading on line `i` whose own title is
    /// `title`; returns the last line used.
    fn heading(&self, i: usize, title: (usize, usize)) -> (String, Range<usize>, usize) {
        let own = &self.text[title.0..title.1];
        let line = &self.lines[i];
        match self.continuation(i, own) {
            Some(j) => {
                let mut t = String::with_capacity(own.len() + self.lines[j].end - self.lines[j].start);
                t.push_str(own);
                t.push_str(self.lines[j].text(self.text));
                (t, line.start..self.lines[j].end, j)
            }
            None => (own.to_string(), line.start..line.end, i),
        }
    }

    fn close_box(&mut self, at: usize) {
        if let Some(b) = self.open_box.take() {
            self.box_ends.push((b, at));
        }
    }

    fn run(&mut self) {
        let mut i = 0;
        while i < self.lines.len() {
            let line = &self.lines[i];
            if self.in_toc[i] {
                i += 1;
                continue;
            }
            match line.kind {
                Kind::Blank => {}
                Kind::Head { style, number, title } => match self.levels.level(style) {
                    Some(level) => {
                        self.close_box(line.start);
                        let (title, heading, last) = self.heading(i, title);
                        self.add_heading(level, number, title, heading);
                        i = last;
                    }
                    None => self.body_line(i),
                },
                Kind::Box { number, title } => {
                    self.close_box(line.start);
                    let (title, heading, last) = self.heading(i, title);
                    let scope = self.chapter.or(self.part);
                    let parent = self.section.or(scope);
                    let k = {
                        let c = self.counts(scope);
                        c.boxes += 1;
                        c.boxes
                    };
                    let id = self.id(scope, format_args!("b{k}"));
                    let b = self.push(id, NodeLevel::Box, number, title, heading, parent);
                    self.open_box = Some(b);
                    i = last;
                }
                Kind::Item { .. } | Kind::Text => self.body_line(i),
            }
            i += 1;
        }
    }

    fn add_heading(&mut self, level: NodeLevel, number: Option<u32>, title: String, heading: Range<usize>) {
        match level {
            NodeLevel::Part => {
                self.root.parts += 1;
                let id = format!("p{}", self.root.parts);
                self.part = Some(self.push(id, level, number, title, heading, None));
                self.chapter = None;
                self.section = None;
            }
            NodeLevel::Chapter => {
                self.chapters += 1;
                let id = self.id(self.part, format_args!("c{}", self.chapters));
                self.chapter = Some(self.push(id, level, number, title, heading, self.part));
                self.section = None;
            }
            _ => {
                let parent = self.chapter.or(self.part);
                let m = {
                    let c = self.counts(parent);
                    c.sections += 1;
                    c.sections
                };
                let id = self.id(parent, format_args!("s{m}"));
                self.section = Some(self.push(id, NodeLevel::Section, number, title, heading, parent));
            }
        }
    }

    /// A line that is not a heading: inside a box it is box content unless it
    /// reads as prose; elsewhere it may open a task item.
    fn body_line(&mut self, i: usize) {
        let line = &self.lines[i];
        if self.open_box.is_some() {
            if !scan::is_prose(line.text(self.text), &line.kind) {
                return;
            }
            self.close_box(line.start);
        }
        let Kind::Item { number, head, title } = line.kind else {
            return;
        };
        let Some(parent) = self.section.or(self.chapter).or(self.part) else {
            return;
        };
        self.counts[parent].items += 1;
        let k = self.counts[parent].items;
        let id = self.id(Some(parent), format_args!("i{k}"));
        let title = self.text[title.0..title.1].to_string();
        self.push(id, NodeLevel::Item, number, title, head.0..head.1, Some(parent));
    }

    /// Sets every body's end: the start of the next node at the same or a
    /// smaller depth, or the end of the text; a box ended by prose ends there.
    fn finish(mut self) -> Vec<FlatNode> {
        let mut stack: Vec<usize> = Vec::with_capacity(8);
        for i in 0..self.nodes.len() {
            let d = self.depth[i];
            while let Some(&top) = stack.last() {
                if self.depth[top] < d {
                    break;
                }
                self.nodes[top].body.end = self.nodes[i].heading.start;
                stack.pop();
            }
            stack.push(i);
        }
        for (b, end) in self.box_ends {
            let body = &mut self.nodes[b].body;
            body.end = body.end.min(end).max(body.start);
        }
        self.nodes
    }
}
