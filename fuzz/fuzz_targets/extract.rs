//! Fuzz target: any bytes, read as (lossy) UTF-8, through `extract`.
//!
//! Beyond "no panic", it checks the invariants every record must keep: its
//! quote is a piece of the input text and its span lies within the text's
//! characters.

#![no_main]

use lantu_extract::{OutlineNode, Span};
use libfuzzer_sys::fuzz_target;

fn check_span(what: &str, id: &str, span: Span, chars: usize) {
    assert!(
        span.start <= span.end && span.end <= chars,
        "{what} {id}: span [{}, {}) outside the text's {chars} chars",
        span.start,
        span.end
    );
}

fn check_node(n: &OutlineNode, chars: usize) {
    check_span("outline node", &n.id, n.span, chars);
    n.children.iter().for_each(|c| check_node(c, chars));
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let ex = lantu_extract::extract(&text);
    let chars = text.chars().count();
    for t in &ex.targets {
        assert!(
            text.contains(&t.quote),
            "target {} quote not in the text: {:?}",
            t.id,
            t.quote
        );
        check_span("target", &t.id, t.span, chars);
    }
    for b in &ex.baselines {
        assert!(
            text.contains(&b.quote),
            "baseline {} quote not in the text: {:?}",
            b.id,
            b.quote
        );
        check_span("baseline", &b.id, b.span, chars);
    }
    for p in &ex.projects {
        assert!(
            text.contains(&p.quote),
            "project {} quote not in the text: {:?}",
            p.id,
            p.quote
        );
        check_span("project", &p.id, p.span, chars);
    }
    ex.outline.iter().for_each(|n| check_node(n, chars));
});
