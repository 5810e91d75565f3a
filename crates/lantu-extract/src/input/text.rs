//! Plain text: UTF-8, UTF-16 with a byte-order mark, or GB18030 (a superset
//! of GBK and GB2312, the encodings of older Chinese government files).

use encoding_rs::{Encoding, GB18030, UTF_8};

use super::{InputError, NO_PATH};

/// Decodes a text file and normalises its line endings to `\n`.
pub(super) fn decode_text(bytes: &[u8]) -> Result<String, InputError> {
    let not_text = |reason: String| InputError::NotText {
        origin: NO_PATH.into(),
        reason,
    };
    let (text, via_gb) = decode_charset(bytes, None).map_err(not_text)?;
    check_not_binary(&text, via_gb).map_err(not_text)?;
    Ok(normalize_owned(text))
}

/// The text of a file already in memory, without copying it when it is
/// plain UTF-8 ([`is_plain`]: the common case, where decoding, the binary
/// check and normalisation would all leave it as it is); otherwise the
/// bytes back, for the caller to decode in full.
pub(super) fn plain_utf8(bytes: Vec<u8>) -> Result<String, Vec<u8>> {
    match String::from_utf8(bytes) {
        Ok(s) if is_plain(&s) => Ok(s),
        Ok(s) => Err(s.into_bytes()),
        Err(e) => Err(e.into_bytes()),
    }
}

/// True when normalisation leaves `s` unchanged and the binary check has
/// nothing to count: no control character but tab and `\n` (so no NUL and
/// no `\r`), no U+2028/U+2029, no leading byte-order mark. One pass over the
/// bytes, much cheaper than decoding every char.
pub(super) fn is_plain(s: &str) -> bool {
    let b = s.as_bytes();
    if b.starts_with("\u{feff}".as_bytes()) {
        return false;
    }
    // Bytes that may begin something not plain: controls, DEL, and the lead
    // bytes of C1 controls and of U+2028/U+2029.
    const SUSPECT: [bool; 256] = {
        let mut t = [false; 256];
        let mut i = 0;
        while i < 0x20 {
            t[i] = i != b'\t' as usize && i != b'\n' as usize;
            i += 1;
        }
        t[0x7F] = true;
        t[0xC2] = true;
        t[0xE2] = true;
        t
    };
    // Eight bytes at a time: a word none of whose bytes is below 0x20 or
    // equal to 0x7F, 0xC2 or 0xE2 holds nothing suspect and is skipped.
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let has_zero = |v: u64| v.wrapping_sub(LO) & !v & HI != 0;
    let mut i = 0;
    while i < b.len() {
        while let Some(chunk) = b.get(i..i + 8) {
            let w = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
            let below_space = w.wrapping_sub(0x20 * LO) & !w & HI != 0;
            if below_space || has_zero(w ^ (0x7F * LO)) || has_zero(w ^ (0xC2 * LO)) || has_zero(w ^ (0xE2 * LO)) {
                break;
            }
            i += 8;
        }
        match b[i..].iter().take(8).position(|&x| SUSPECT[x as usize]) {
            Some(k) => i += k,
            None => {
                i += 8;
                continue;
            }
        }
        match b[i] {
            b'\t' | b'\n' => {}
            0..=0x1F | 0x7F => return false,
            // C1 controls U+0080–U+009F are written C2 80 … C2 9F.
            0xC2 if matches!(b.get(i + 1), Some(0x80..=0x9F)) => return false,
            // U+2028 / U+2029 are written E2 80 A8 / E2 80 A9.
            0xE2 if b.get(i + 1) == Some(&0x80) && matches!(b.get(i + 2), Some(0xA8 | 0xA9)) => return false,
            _ => {}
        }
        i += 1;
    }
    true
}

/// Decodes bytes to a string: a byte-order mark decides first (UTF-8,
/// UTF-16LE, UTF-16BE); then valid UTF-8; then the `declared` encoding (an
/// HTML `<meta charset>`) if the bytes are valid in it; then GB18030.
///
/// Returns the text and whether the GB18030 fallback decoded it. The error
/// is a reason for [`InputError::NotText`].
pub(super) fn decode_charset(bytes: &[u8], declared: Option<&'static Encoding>) -> Result<(String, bool), String> {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let body = &bytes[bom_len..];
        return match enc.decode_without_bom_handling_and_without_replacement(body) {
            Some(s) => Ok((s.into_owned(), false)),
            None => Err(format!(
                "it starts with a {} byte-order mark but is not valid {}",
                enc.name(),
                enc.name()
            )),
        };
    }
    // Valid UTF-8 wins even over a declaration: text in GBK (or another
    // legacy encoding) is practically never valid UTF-8, while pages that
    // say "gbk" but are UTF-8 are common.
    let utf8_error = match std::str::from_utf8(bytes) {
        Ok(s) => return Ok((s.to_owned(), false)),
        Err(e) => e,
    };
    let valid = utf8_error.valid_up_to();
    if utf8_error.error_len().is_none() && valid > 0 && valid + 4 > bytes.len() {
        // Valid UTF-8 cut off in the middle of the last character.
        return Ok((String::from_utf8_lossy(bytes).into_owned(), false));
    }
    if let Some(enc) = declared {
        let gb = enc == GB18030 || enc == encoding_rs::GBK;
        let enc = if gb { GB18030 } else { enc };
        // A meta tag cannot be read in UTF-16 (nor be "replacement").
        if enc != UTF_8 && enc.output_encoding() == enc {
            if let Some(s) = enc.decode_without_bom_handling_and_without_replacement(bytes) {
                return Ok((s.into_owned(), gb));
            }
        }
    }
    match GB18030.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(s) => Ok((s.into_owned(), true)),
        None => Err(format!(
            "it is neither UTF-8 (invalid byte at offset {}) nor GB18030/GBK",
            utf8_error.valid_up_to()
        )),
    }
}

/// Refuses text that looks like binary data decoded by accident.
pub(super) fn check_not_binary(text: &str, via_gb: bool) -> Result<(), String> {
    // Plain text has no NUL and no control character to count; only text
    // read as GB18030 needs its unassigned characters counted.
    if !via_gb && is_plain(text) {
        return Ok(());
    }
    if text.contains('\0') {
        return Err("it contains NUL bytes (binary data, or UTF-16 without a byte-order mark?)".into());
    }
    let mut total = 0usize;
    let mut control = 0usize;
    let mut private = 0usize;
    for c in text.chars() {
        total += 1;
        if c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{0b}' | '\u{0c}') {
            control += 1;
        }
        if matches!(c as u32, 0xE000..=0xF8FF) {
            private += 1;
        }
    }
    if control > 2 && control * 50 > total {
        return Err(format!(
            "{control} of its {total} characters are control characters (binary data?)"
        ));
    }
    if via_gb && private * 20 > total {
        return Err(format!(
            "read as GB18030, {private} of its {total} characters are unassigned \
             (binary data, or an encoding other than UTF-8 and GB18030?)"
        ));
    }
    Ok(())
}

/// `\r\n`, `\r`, vertical tab and form feed become `\n`; other control
/// characters (but tab) and a leading byte-order mark are dropped.
pub(super) fn normalize_text(s: &str) -> String {
    if is_plain(s) {
        return s.to_owned();
    }
    normalize_slow(s)
}

/// [`normalize_text`] of an owned string: plain text is returned as it is.
pub(super) fn normalize_owned(s: String) -> String {
    if is_plain(&s) {
        s
    } else {
        normalize_slow(&s)
    }
}

fn normalize_slow(s: &str) -> String {
    let s = s.strip_prefix('\u{feff}').unwrap_or(s);
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push('\n');
            }
            '\u{0b}' | '\u{0c}' | '\u{2028}' | '\u{2029}' => out.push('\n'),
            '\t' | '\n' => out.push(c),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::{decode, Format, InputError};

    /// [`super::is_plain`] char by char.
    fn plain_reference(t: &str) -> bool {
        !t.starts_with('\u{feff}')
            && t.chars()
                .all(|c| !(c.is_control() && c != '\t' && c != '\n') && c != '\u{2028}' && c != '\u{2029}')
    }

    #[test]
    fn plain_check_sees_a_special_char_at_every_offset() {
        for sp in [
            "\r", "\0", "\u{7F}", "\u{85}", "\u{2028}", "\u{2029}", "·", "“", "\t", "\n", "é",
        ] {
            for pad in 0..20 {
                for fill in ["a", "到"] {
                    let t = format!("{}{sp}{}", fill.repeat(pad), "达到".repeat(pad % 7));
                    assert_eq!(super::is_plain(&t), plain_reference(&t), "{t:?}");
                }
            }
        }
    }

    #[test]
    fn plain_text_is_what_normalisation_and_the_binary_check_leave_alone() {
        let specials = [
            "\r", "\r\n", "\0", "\u{1}", "\u{1F}", "\u{7F}", "\u{80}", "\u{9F}", "\u{A0}", "\u{0b}", "\u{0c}",
            "\u{2028}", "\u{2029}", "\u{2027}", "\u{202A}", "\u{feff}", "·", "“", "—", "\t", "\n", "é", "𠀀",
        ];
        for sp in specials {
            for t in [
                sp.to_string(),
                format!("到2025年{sp}达到"),
                format!("{sp}开头"),
                format!("结尾{sp}"),
            ] {
                let plain = super::is_plain(&t);
                let unchanged = super::normalize_slow(&t) == t;
                let clean = {
                    let controls = t
                        .chars()
                        .filter(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{0b}' | '\u{0c}'))
                        .count();
                    controls == 0 && !t.contains('\0')
                };
                // Plain text needs neither pass; text either pass would
                // change or count is never plain.
                if plain {
                    assert!(unchanged && clean, "{t:?} is plain but not left alone");
                }
                if !unchanged {
                    assert!(!plain, "{t:?} changes under normalisation");
                }
                assert_eq!(plain, plain_reference(&t), "{t:?}");
                assert_eq!(super::normalize_text(&t), super::normalize_slow(&t), "{t:?}");
                assert_eq!(super::normalize_owned(t.clone()), super::normalize_slow(&t), "{t:?}");
            }
        }
    }

    const PLAN: &str = "第一章 总体要求\n到2025年，单位GDP能耗降低13.5%，森林覆盖率达到24.1%。\n";

    #[test]
    fn utf8() {
        assert_eq!(decode(PLAN.as_bytes(), Format::Text).unwrap(), PLAN);
    }

    #[test]
    fn utf8_with_bom_and_crlf() {
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend_from_slice(PLAN.replace('\n', "\r\n").as_bytes());
        assert_eq!(decode(&bytes, Format::Text).unwrap(), PLAN);
        // Old Mac line endings too.
        assert_eq!(decode(b"a\rb\r\nc", Format::Text).unwrap(), "a\nb\nc");
    }

    #[test]
    fn gb18030_and_gbk() {
        let (bytes, _, unmappable) = encoding_rs::GB18030.encode(PLAN);
        assert!(!unmappable);
        assert!(std::str::from_utf8(&bytes).is_err());
        assert_eq!(decode(&bytes, Format::Text).unwrap(), PLAN);
        // GBK bytes are GB18030 bytes.
        let (bytes, _, _) = encoding_rs::GBK.encode("“十四五”规划：年均增长5.5%左右\r\n");
        assert_eq!(
            decode(&bytes, Format::Text).unwrap(),
            "“十四五”规划：年均增长5.5%左右\n"
        );
    }

    #[test]
    fn utf16_with_bom() {
        let mut le = vec![0xFF, 0xFE];
        le.extend(PLAN.encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(decode(&le, Format::Text).unwrap(), PLAN);
        let mut be = vec![0xFE, 0xFF];
        be.extend(PLAN.encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(decode(&be, Format::Text).unwrap(), PLAN);
        // Odd length: malformed.
        let e = decode(&le[..le.len() - 1], Format::Text).unwrap_err();
        assert!(e.to_string().contains("UTF-16LE"), "{e}");
    }

    #[test]
    fn empty_and_whitespace() {
        assert_eq!(decode(b"", Format::Text).unwrap(), "");
        assert_eq!(decode(b"\xEF\xBB\xBF", Format::Text).unwrap(), "");
        assert_eq!(decode(b" \r\n", Format::Text).unwrap(), " \n");
    }

    #[test]
    fn binary_is_not_text() {
        let e = decode(b"abc\0def", Format::Text).unwrap_err();
        assert!(matches!(e, InputError::NotText { .. }));
        assert!(e.to_string().contains("not a text file: it contains NUL"), "{e}");

        let e = decode(b"\x01\x02\x03\x04hello\x05\x06\x07\x08", Format::Text).unwrap_err();
        assert!(e.to_string().contains("control characters"), "{e}");

        // Neither UTF-8 nor GB18030: 0xFF is never valid in GB18030.
        let e = decode(b"plan \xFF\xFF\xFF text", Format::Text).unwrap_err();
        assert!(e.to_string().contains("neither UTF-8"), "{e}");
        assert!(e.to_string().contains("offset 5"), "{e}");

        // An ELF header.
        let e = decode(b"\x7FELF\x02\x01\x01\x00\x00\x00", Format::Text).unwrap_err();
        assert!(matches!(e, InputError::NotText { .. }));
    }

    #[test]
    fn stray_controls_are_dropped_and_breaks_kept() {
        assert_eq!(
            decode("第一节\u{0c}第二节\u{0b}x\u{1a}".as_bytes(), Format::Text).unwrap(),
            "第一节\n第二节\nx"
        );
        let long = format!("{}\u{8}{}", PLAN.repeat(3), PLAN);
        assert_eq!(decode(long.as_bytes(), Format::Text).unwrap(), PLAN.repeat(4));
    }

    #[test]
    fn truncated_utf8_is_kept() {
        let mut bytes = PLAN.as_bytes().to_vec();
        bytes.extend_from_slice(&"年".as_bytes()[..2]);
        let text = decode(&bytes, Format::Text).unwrap();
        assert!(text.starts_with(PLAN));
    }
}
