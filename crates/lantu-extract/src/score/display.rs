//! Human-readable form of a [`ScoreReport`].

use std::fmt;

use super::{LinkMiss, Miss, Prf, ScoreReport};

/// Quotes longer than this many characters are shortened.
const QUOTE_CHARS: usize = 60;

fn short_quote(q: &str) -> String {
    let q = q.trim();
    if q.chars().count() <= QUOTE_CHARS {
        q.to_owned()
    } else {
        let mut s: String = q.chars().take(QUOTE_CHARS - 1).collect();
        s.push('…');
        s
    }
}

fn prf_line(f: &mut fmt::Formatter<'_>, label: &str, p: &Prf) -> fmt::Result {
    writeln!(
        f,
        "{label:<22} P {:.3}  R {:.3}  F1 {:.3}   ({} matched / {} predicted / {} gold)",
        p.precision, p.recall, p.f1, p.matched, p.predicted, p.gold
    )
}

fn number(v: f64) -> String {
    v.to_string()
}

fn write_miss(f: &mut fmt::Formatter<'_>, m: &Miss) -> fmt::Result {
    let mut value = match (m.value, m.value_max) {
        (Some(v), Some(w)) => format!("{}–{}", number(v), number(w)),
        (Some(v), None) => number(v),
        (None, Some(w)) => format!("?–{}", number(w)),
        (None, None) => "null".to_owned(),
    };
    if let Some(u) = &m.unit {
        value.push(' ');
        value.push_str(u);
    }
    let comparator = m.comparator.map(|c| format!("{c} ")).unwrap_or_default();
    let year = m.year.map(|y| format!("  [{y}]")).unwrap_or_default();
    writeln!(
        f,
        "  {}  {}  {comparator}{value}{year}  「{}」",
        m.id,
        m.indicator,
        short_quote(&m.quote)
    )?;
    writeln!(f, "      {}", m.reason)
}

fn write_link(f: &mut fmt::Formatter<'_>, l: &LinkMiss) -> fmt::Result {
    writeln!(
        f,
        "  {} {} → {} {}  ({})",
        l.baseline_id, l.baseline_indicator, l.target_id, l.target_indicator, l.reason
    )
}

fn section<T>(
    f: &mut fmt::Formatter<'_>,
    title: &str,
    items: &[T],
    write: fn(&mut fmt::Formatter<'_>, &T) -> fmt::Result,
) -> fmt::Result {
    if items.is_empty() {
        return Ok(());
    }
    writeln!(f)?;
    writeln!(f, "{title} ({}):", items.len())?;
    items.iter().try_for_each(|i| write(f, i))
}

impl fmt::Display for ScoreReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Score against gold for {}", self.doc)?;
        prf_line(f, "targets", &self.targets)?;
        prf_line(f, "baselines", &self.baselines)?;
        prf_line(f, "links", &self.links)?;
        prf_line(f, "targets (numeric)", &self.targets_numeric)?;
        prf_line(f, "targets (lenient)", &self.targets_lenient)?;
        writeln!(
            f,
            "indicator similarity   targets {:.3}  baselines {:.3}",
            self.indicator_similarity_targets, self.indicator_similarity_baselines
        )?;
        writeln!(
            f,
            "matched targets        year accuracy {:.3}  kind accuracy {:.3}",
            self.year_accuracy, self.kind_accuracy
        )?;
        if self.unlocated_target_quotes + self.unlocated_baseline_quotes > 0 {
            writeln!(
                f,
                "predicted quotes not found in the plan: {} of targets, {} of baselines",
                self.unlocated_target_quotes, self.unlocated_baseline_quotes
            )?;
        }
        section(f, "Target misses", &self.target_misses, write_miss)?;
        section(f, "Target false hits", &self.target_false_hits, write_miss)?;
        section(f, "Baseline misses", &self.baseline_misses, write_miss)?;
        section(f, "Baseline false hits", &self.baseline_false_hits, write_miss)?;
        section(f, "Link misses", &self.link_misses, write_link)?;
        section(f, "Link false hits", &self.link_false_hits, write_link)
    }
}

#[cfg(test)]
mod tests {
    use super::short_quote;

    #[test]
    fn shortens_long_quotes() {
        assert_eq!(short_quote(" 短句。 "), "短句。");
        let long = "字".repeat(100);
        let s = short_quote(&long);
        assert_eq!(s.chars().count(), 60);
        assert!(s.ends_with('…'));
    }
}
