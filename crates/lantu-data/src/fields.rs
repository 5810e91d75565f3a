//! The columns of the monitoring-data form, their bilingual headers, and the
//! matching of a file's header cells to them.

use std::fmt;

/// A column of the form (填报表), in the template's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    /// 指标代码: the indicator's code in the plan. Required.
    Code,
    /// 指标名称: the indicator's name (read-only, ignored on import).
    Name,
    /// 单位: checked against the indicator's unit when given.
    Unit,
    /// 期间: `2023`, `2023Q2` or `2023-05`. Required.
    Period,
    /// 地区: empty for the district itself, else a town or street.
    Area,
    /// 数值: the figure. Required; a row with no value is skipped.
    Value,
    /// 上期值: the previous period's figure (read-only, ignored on import).
    Previous,
    /// 数据来源.
    Source,
    /// 备注.
    Notes,
    /// 异常说明: why a figure that breaks a warning rule (a large change
    /// from the previous period) is right; kept with it for the reviewer.
    Comment,
}

/// Number of [`Field`]s.
pub const FIELD_COUNT: usize = 10;

impl Field {
    /// All fields in the template's column order.
    pub const ALL: [Field; FIELD_COUNT] = [
        Field::Code,
        Field::Name,
        Field::Unit,
        Field::Period,
        Field::Area,
        Field::Value,
        Field::Previous,
        Field::Source,
        Field::Notes,
        Field::Comment,
    ];

    /// The Chinese header.
    pub fn zh(self) -> &'static str {
        match self {
            Field::Code => "指标代码",
            Field::Name => "指标名称",
            Field::Unit => "单位",
            Field::Period => "期间",
            Field::Area => "地区",
            Field::Value => "数值",
            Field::Previous => "上期值",
            Field::Source => "数据来源",
            Field::Notes => "备注",
            Field::Comment => "异常说明",
        }
    }

    /// The English header.
    pub fn en(self) -> &'static str {
        match self {
            Field::Code => "Code",
            Field::Name => "Indicator",
            Field::Unit => "Unit",
            Field::Period => "Period",
            Field::Area => "Area",
            Field::Value => "Value",
            Field::Previous => "Previous",
            Field::Source => "Source",
            Field::Notes => "Notes",
            Field::Comment => "Comment",
        }
    }

    /// The template's header: `数值 Value`.
    pub fn header(self) -> String {
        format!("{} {}", self.zh(), self.en())
    }

    /// Whether an import needs the column.
    pub fn required(self) -> bool {
        matches!(self, Field::Code | Field::Period | Field::Value)
    }

    /// Other Chinese names a hand-made file may use.
    fn zh_aliases(self) -> &'static [&'static str] {
        match self {
            Field::Code => &["指标代码", "代码", "指标编码", "编码", "指标编号"],
            Field::Name => &["指标名称", "指标", "名称"],
            Field::Unit => &["单位", "计量单位"],
            Field::Period => &["期间", "时期", "报告期", "统计期", "年份", "年度"],
            Field::Area => &["地区", "区域", "地域", "镇街"],
            Field::Value => &["数值", "值", "填报值", "本期值", "指标值"],
            Field::Previous => &["上期值", "上年值", "上期"],
            Field::Source => &["数据来源", "来源"],
            Field::Notes => &["备注", "说明"],
            Field::Comment => &["异常说明", "变动说明", "波动说明", "情况说明"],
        }
    }

    /// Other English names (compared lower-case, without spaces or `_`).
    fn en_aliases(self) -> &'static [&'static str] {
        match self {
            Field::Code => &["code", "indicatorcode"],
            Field::Name => &["indicator", "name", "indicatorname"],
            Field::Unit => &["unit", "units"],
            Field::Period => &["period", "year"],
            Field::Area => &["area", "region", "geography"],
            Field::Value => &["value"],
            Field::Previous => &["previous", "previousvalue"],
            Field::Source => &["source", "datasource"],
            Field::Notes => &["notes", "note", "remarks"],
            Field::Comment => &["comment", "explanation"],
        }
    }

    /// The field a header cell names: a Chinese name, an English name, or
    /// both (`数值 Value`, `数值(Value)`, `Value 数值`, `数值\nValue`), in
    /// either width and case.
    pub fn from_header(text: &str) -> Option<Field> {
        let key = header_key(text);
        if key.is_empty() {
            return None;
        }
        Field::ALL.into_iter().find(|f| {
            let (zh, en) = (f.zh_aliases(), f.en_aliases());
            zh.contains(&key.as_str())
                || en.contains(&key.as_str())
                || zh.iter().any(|z| {
                    en.iter().any(|e| {
                        (key.starts_with(z) && &key[z.len()..] == *e) || (key.starts_with(e) && &key[e.len()..] == *z)
                    })
                })
        })
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.zh(), self.en())
    }
}

/// A header folded for matching: full-width forms to ASCII, lower case,
/// without blanks and the punctuation that wraps a second language.
fn header_key(text: &str) -> String {
    text.chars()
        .map(fold_width)
        .filter(|c| {
            !c.is_whitespace() && !matches!(c, '(' | ')' | '[' | ']' | '/' | '_' | '-' | ':' | '*' | '\u{feff}')
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// Folds a full-width ASCII form (Ａ, ％, ２) to its ASCII character and the
/// ideographic space to a space.
pub(crate) fn fold_width(c: char) -> char {
    match c {
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// The spreadsheet letter of a 0-based column: 0 → A, 25 → Z, 26 → AA.
pub fn column_letter(index: usize) -> String {
    let mut n = index + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        out.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_in_either_language() {
        for f in Field::ALL {
            assert_eq!(Field::from_header(&f.header()), Some(f), "{f}");
            assert_eq!(Field::from_header(f.zh()), Some(f));
            assert_eq!(Field::from_header(f.en()), Some(f));
            assert_eq!(Field::from_header(&f.en().to_uppercase()), Some(f));
            assert_eq!(Field::from_header(&format!("{}\n{}", f.zh(), f.en())), Some(f));
            assert_eq!(Field::from_header(&format!("{}（{}）", f.zh(), f.en())), Some(f));
            assert_eq!(Field::from_header(&format!("{} {}", f.en(), f.zh())), Some(f));
        }
        assert_eq!(Field::from_header("\u{feff}指标代码"), Some(Field::Code));
        assert_eq!(Field::from_header("Ｖａｌｕｅ"), Some(Field::Value));
        assert_eq!(Field::from_header("indicator_code"), Some(Field::Code));
        assert_eq!(Field::from_header("Data source"), Some(Field::Source));
        assert_eq!(Field::from_header("合计"), None);
        assert_eq!(Field::from_header(""), None);
        assert_eq!(Field::from_header("数值 Code"), None);
    }

    #[test]
    fn column_letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(5), "F");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }
}
