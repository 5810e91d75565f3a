//! Ordinals as plans write them: Chinese numerals (一, 十二, 二十一, 一百零三,
//! 二〇三五) or Arabic digits (half- or full-width).

/// Value of a Chinese digit character, if it is one.
pub(super) fn cn_digit(c: char) -> Option<u32> {
    Some(match c {
        '〇' | '零' | '○' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

fn cn_unit(c: char) -> Option<u32> {
    match c {
        '十' => Some(10),
        '百' => Some(100),
        '千' => Some(1000),
        _ => None,
    }
}

/// Value of an Arabic digit, half- or full-width.
pub(super) fn arabic_digit(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '０'..='９' => Some(c as u32 - '０' as u32),
        _ => None,
    }
}

/// Whether `c` can be part of a written ordinal.
pub(super) fn is_numeral_char(c: char) -> bool {
    cn_digit(c).is_some() || cn_unit(c).is_some() || arabic_digit(c).is_some()
}

/// Whether `c` is a Chinese numeral character (digit or unit).
pub(super) fn is_cn_numeral_char(c: char) -> bool {
    cn_digit(c).is_some() || cn_unit(c).is_some()
}

/// Parses an ordinal from its characters; whitespace between them is skipped
/// ("第 十 二 章"). `None` for an empty or malformed numeral, or one that
/// mixes Arabic and Chinese digits.
pub(super) fn parse(chars: impl IntoIterator<Item = char>) -> Option<u32> {
    let mut total: u32 = 0;
    // Digit waiting for its unit, or the positional value (二〇三五) so far.
    let mut cur: Option<u32> = None;
    let mut last_unit = u32::MAX;
    let mut saw_unit = false;
    let mut saw_arabic = false;
    let mut saw_cn = false;
    let mut any = false;
    for c in chars {
        if c.is_whitespace() {
            continue;
        }
        if let Some(d) = arabic_digit(c) {
            saw_arabic = true;
            cur = Some(cur.unwrap_or(0).checked_mul(10)?.checked_add(d)?);
        } else if let Some(d) = cn_digit(c) {
            saw_cn = true;
            match cur {
                // 一百零三: 零 only holds a place after a unit.
                None if saw_unit && d == 0 => {}
                None => cur = Some(d),
                Some(_) if saw_unit => return None,
                Some(v) => cur = Some(v.checked_mul(10)?.checked_add(d)?),
            }
        } else if let Some(u) = cn_unit(c) {
            saw_cn = true;
            if u >= last_unit {
                return None;
            }
            total = total.checked_add(cur.unwrap_or(1).checked_mul(u)?)?;
            cur = None;
            last_unit = u;
            saw_unit = true;
        } else {
            return None;
        }
        any = true;
    }
    if !any || (saw_arabic && saw_cn) {
        return None;
    }
    total.checked_add(cur.unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn chinese_and_arabic_ordinals() {
        let cases = [
            ("一", Some(1)),
            ("十", Some(10)),
            ("十二", Some(12)),
            ("二十一", Some(21)),
            ("三十", Some(30)),
            ("一百零三", Some(103)),
            ("一百二十", Some(120)),
            ("二〇三五", Some(2035)),
            ("十 二", Some(12)),
            ("12", Some(12)),
            ("１２", Some(12)),
            ("", None),
            ("十百", None),
            ("1二", None),
            ("十四五", None),
        ];
        for (s, want) in cases {
            assert_eq!(parse(s.chars()), want, "{s}");
        }
    }
}
