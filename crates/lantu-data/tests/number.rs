//! Property tests of the number parser: whatever way a person writes a
//! decimal (grouped, full-width, signed), it reads back exactly.

use lantu_data::number::{self, Number};
use proptest::prelude::*;
use rust_decimal::Decimal;

/// `1234567` → `1,234,567`.
fn grouped(digits: &str, sep: char) -> String {
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

fn full_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '0'..='9' | '.' | ',' | '-' | '%' => char::from_u32(c as u32 + 0xfee0).unwrap(),
            c => c,
        })
        .collect()
}

proptest! {
    #[test]
    fn decimals_read_back_exactly(mantissa in any::<i64>(), scale in 0u32..=8, sep in prop_oneof![Just(','), Just(' ')], wide in any::<bool>(), pct in any::<bool>()) {
        let d = Decimal::new(mantissa, scale);
        let plain = d.to_string();
        let (sign, body) = match plain.strip_prefix('-') {
            Some(b) => ("-", b),
            None => ("", plain.as_str()),
        };
        let (int, frac) = body.split_once('.').map_or((body, None), |(i, f)| (i, Some(f)));
        let mut text = format!("{sign}{}", grouped(int, sep));
        if let Some(f) = frac {
            text.push('.');
            text.push_str(f);
        }
        if pct {
            text.push('%');
        }
        if wide {
            text = full_width(&text);
        }
        prop_assert_eq!(number::parse(&plain), Some(Number { value: d, percent: false }));
        prop_assert_eq!(number::parse(&format!("  {text} ")), Some(Number { value: d, percent: pct }), "{}", text);
    }

    #[test]
    fn floats_read_as_their_fifteen_digits(f in -1e15f64..1e15f64) {
        let d = number::from_f64(f).unwrap();
        // What Excel shows: the float printed to 15 significant digits.
        let shown: f64 = format!("{f:.14e}").parse().unwrap();
        prop_assert_eq!(d.to_string().parse::<f64>().unwrap(), shown);
    }

    #[test]
    fn text_never_panics(s in "\\PC{0,12}") {
        let _ = number::parse(&s);
    }
}
