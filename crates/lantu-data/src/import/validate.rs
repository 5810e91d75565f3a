//! The rules every row of an import must pass, shared by CSV and XLSX.

use super::{Column, ErrorKind, Errors, RowError};
use crate::fields::{column_letter, fold_width, Field, FIELD_COUNT};
use crate::number::{self, NumberError};
use foldhash::HashMap;
use lantu_core::messages::Message;
use lantu_core::observation::NewObservation;
use lantu_core::plan::{Frequency, PlanDoc};
use lantu_core::progress::{Granularity, PeriodError};
use lantu_core::Period;
use rust_decimal::Decimal;
use std::borrow::Cow;
use std::collections::hash_map::Entry;

/// One cell of a row, as the file gives it.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) enum Cell<'a> {
    #[default]
    Empty,
    /// Trimmed, not empty.
    Text(&'a str),
    Number(f64),
    /// A spreadsheet date (Excel turns a typed `2023-05` into one).
    Date {
        year: i32,
        month: u8,
        day: u8,
    },
    /// An error value (`#N/A`) or a boolean, as shown.
    Other(String),
}

impl Cell<'_> {
    pub(crate) fn text(s: &str) -> Cell<'_> {
        let b = s.as_bytes();
        let bare = |c: Option<&u8>| c.is_some_and(|c| c.is_ascii_graphic());
        // Most cells have nothing to trim: skip the Unicode-aware trim.
        let s = if bare(b.first()) && bare(b.last()) { s } else { s.trim() };
        if s.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(s)
        }
    }

    fn is_empty(&self) -> bool {
        matches!(self, Cell::Empty)
    }

    /// Empty, or the dash or slash Chinese statistical tables write for
    /// "no figure" (—, ——, -, /).
    fn no_figure(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => matches!(*s, "-" | "—" | "——" | "－" | "/" | "／" | "--"),
            _ => false,
        }
    }

    /// The cell as a person sees it.
    fn shown(&self) -> Cow<'_, str> {
        match self {
            Cell::Empty => Cow::Borrowed(""),
            Cell::Text(s) => Cow::Borrowed(s),
            Cell::Number(f) => Cow::Owned(match number::from_f64(*f) {
                Some(d) => d.to_string(),
                None => f.to_string(),
            }),
            Cell::Date { year, month, day } => Cow::Owned(format!("{year}-{month:02}-{day:02}")),
            Cell::Other(s) => Cow::Borrowed(s),
        }
    }

    /// The cell as an optional text (source, notes).
    fn string(&self) -> Option<String> {
        (!self.is_empty()).then(|| self.shown().into_owned())
    }
}

/// Which column holds each field, matched from a header row.
#[derive(Debug, Clone, Default)]
pub(crate) struct Header {
    /// 0-based column of each field.
    pub at: [Option<usize>; FIELD_COUNT],
    /// The header cell of each field, as written.
    pub names: [String; FIELD_COUNT],
    /// Fields named twice: (field, column of the second, column of the first).
    pub twice: Vec<(Field, usize, usize)>,
}

impl Header {
    /// Matches a row of header cells `(column, text)`.
    pub(crate) fn parse<'a>(cells: impl IntoIterator<Item = (usize, &'a str)>) -> Header {
        let mut h = Header::default();
        for (col, text) in cells {
            let Some(f) = Field::from_header(text) else { continue };
            let i = f as usize;
            match h.at[i] {
                Some(first) => h.twice.push((f, col, first)),
                None => {
                    h.at[i] = Some(col);
                    h.names[i] = text.trim().to_string();
                }
            }
        }
        h
    }

    /// How many fields it found, required ones first (to pick the header
    /// row among the first rows of a file).
    pub(crate) fn score(&self) -> (usize, usize) {
        let found = |f: &Field| self.at[*f as usize].is_some();
        let required = Field::ALL.iter().filter(|f| f.required()).filter(|f| found(f)).count();
        (required, Field::ALL.iter().filter(|f| found(f)).count())
    }

    /// The columns to read in data rows: all but those an import ignores
    /// (the name and the previous value, which the template repeats).
    pub(crate) fn data_columns(&self) -> [Option<usize>; FIELD_COUNT] {
        let mut at = self.at;
        at[Field::Name as usize] = None;
        at[Field::Previous as usize] = None;
        at
    }

    pub(crate) fn complete(&self) -> bool {
        self.score().0 == 3
    }

    /// The header's own errors (missing and doubled columns) at `row`.
    pub(crate) fn errors(&self, row: usize, seen: &str) -> Vec<RowError> {
        let mut out = Vec::new();
        for f in Field::ALL
            .into_iter()
            .filter(|f| f.required() && self.at[*f as usize].is_none())
        {
            out.push(RowError {
                row: Some(row),
                column: None,
                field: Some(f),
                kind: ErrorKind::MissingColumn,
                message: {
                    let all = Field::ALL.iter().map(|f| f.header()).collect::<Vec<_>>().join(" | ");
                    Message::both(
                        format!("缺少必填列“{}”；表头行为：{seen}；填报表的列为：{all}", f.zh()),
                        format!(
                            "no column for {f} (required); the header row reads: {seen}; the form's columns are: {all}"
                        ),
                    )
                },
            });
        }
        for &(f, col, first) in &self.twice {
            out.push(RowError {
                row: Some(row),
                column: Some(Column {
                    letter: column_letter(col),
                    header: f.header(),
                }),
                field: Some(f),
                kind: ErrorKind::DuplicateColumn,
                message: Message::both(
                    format!("“{}”列重复；{} 列已是此列", f.zh(), column_letter(first)),
                    format!(
                        "a second column for {f}; column {} already is one",
                        column_letter(first)
                    ),
                ),
            });
        }
        out
    }
}

/// An indicator as rows are checked against it.
struct Indicator<'p> {
    code: &'p str,
    unit: &'p str,
    /// The unit folded for comparison.
    unit_key: String,
    frequency: Frequency,
}

/// Checks rows and gathers observations or errors.
pub(crate) struct Validator<'p> {
    plan: &'p PlanDoc,
    header: Header,
    indicators: Vec<Indicator<'p>>,
    by_code: HashMap<&'p str, u32>,
    years: (i32, i32),
    geographies: HashMap<String, u32>,
    geography_names: Vec<String>,
    seen: HashMap<(u32, Period, u32), usize>,
    pub(crate) out: Vec<NewObservation>,
    /// The errors of the rows checked so far (the first ones listed).
    pub(crate) errors: Errors,
    /// The errors of the row being checked, sorted by column at its end.
    row_errors: Vec<RowError>,
    scratch: String,
}

const NO_AREA: u32 = u32::MAX;

impl<'p> Validator<'p> {
    pub(crate) fn new(plan: &'p PlanDoc, header: Header, rows_hint: usize) -> Validator<'p> {
        let indicators: Vec<Indicator<'p>> = plan
            .indicators
            .iter()
            .map(|i| {
                let unit = i.unit.as_deref().unwrap_or("");
                Indicator {
                    code: i.code.as_str(),
                    unit,
                    unit_key: unit_key(unit),
                    frequency: i.frequency,
                }
            })
            .collect();
        let by_code = indicators.iter().enumerate().map(|(n, i)| (i.code, n as u32)).collect();
        // A hint only: a file's line count is not trusted with more.
        let rows_hint = rows_hint.min(1 << 16);
        Validator {
            plan,
            header,
            indicators,
            by_code,
            years: (plan.plan.start_year - 5, plan.plan.end_year),
            geographies: HashMap::default(),
            geography_names: Vec::new(),
            seen: HashMap::with_capacity_and_hasher(rows_hint, Default::default()),
            out: Vec::with_capacity(rows_hint),
            errors: Errors::default(),
            row_errors: Vec::new(),
            scratch: String::new(),
        }
    }

    /// The observations, or every error found (the first ones listed).
    pub(crate) fn finish(self) -> Result<Vec<NewObservation>, Errors> {
        if self.errors.is_empty() {
            Ok(self.out)
        } else {
            Err(self.errors)
        }
    }

    /// Records an error of the file, not of a row (the reader stopped).
    pub(crate) fn file_error(&mut self, e: RowError) {
        self.errors.extend([e]);
    }

    fn error(&mut self, row: usize, field: Field, kind: ErrorKind, message: impl Into<Message>) {
        let message = message.into();
        let column = self.header.at[field as usize].map(|c| Column {
            letter: column_letter(c),
            header: self.header.names[field as usize].clone(),
        });
        self.row_errors.push(RowError {
            row: Some(row),
            column,
            field: Some(field),
            kind,
            message,
        });
    }

    /// Checks one row (its cells indexed by [`Field`]) at spreadsheet row
    /// `row`.
    pub(crate) fn row(&mut self, row: usize, cells: &[Cell<'_>; FIELD_COUNT]) {
        let cell = |f: Field| &cells[f as usize];
        if cell(Field::Value).no_figure() {
            return;
        }
        for f in Field::ALL {
            let text = match cell(f) {
                Cell::Text(s) => *s,
                Cell::Other(s) => s.as_str(),
                _ => continue,
            };
            {
                let s = text;
                if let Some(at) = s.find('\0') {
                    let n = s[..at].chars().count();
                    let msg = Message::both(
                        format!("单元格含有 NUL 字符（不可见的控制字符，在第 {n} 个字符之后）：请重新输入该单元格或重新保存文件"),
                        format!(
                            "the cell holds a NUL character (an invisible control character, after {n} characters): \
                             retype the cell or save the file again"
                        ),
                    );
                    self.error(row, f, ErrorKind::ControlCharacter, msg);
                }
            }
        }
        if !self.row_errors.is_empty() {
            // The row's text is damaged: nothing else of it is trusted.
            self.end_row();
            return;
        }

        let indicator = match cell(Field::Code) {
            Cell::Empty => {
                let msg = Message::both(
                    "缺少指标代码：填了数值的行必须写明指标代码",
                    "no indicator code: a row with a value needs the code of its indicator",
                );
                self.error(row, Field::Code, ErrorKind::Missing, msg);
                None
            }
            c => {
                let code = c.shown();
                match self.by_code.get(code.as_ref()) {
                    Some(&i) => Some(i),
                    None => {
                        let msg = Message::both(
                            format!("未知的指标代码“{code}”：规划中没有这个代码的指标"),
                            format!("unknown indicator code `{code}`: the plan has no indicator with this code"),
                        );
                        self.error(row, Field::Code, ErrorKind::UnknownIndicator, msg);
                        None
                    }
                }
            }
        };

        let unit_cell = cell(Field::Unit);
        if let (Some(i), false) = (indicator, unit_cell.is_empty()) {
            let ind = &self.indicators[i as usize];
            let given = unit_cell.shown();
            if given != ind.unit && unit_key(&given) != ind.unit_key {
                let msg = if ind.unit.is_empty() {
                    Message::both(
                        format!("单位“{given}”，但指标 {} 没有单位", ind.code),
                        format!("unit `{given}`, but indicator {} has no unit", ind.code),
                    )
                } else {
                    Message::both(
                        format!("单位“{given}”与指标 {} 的单位“{}”不同", ind.code, ind.unit),
                        format!(
                            "unit `{given}` differs from the unit of indicator {}, `{}`",
                            ind.code, ind.unit
                        ),
                    )
                };
                self.error(row, Field::Unit, ErrorKind::UnitMismatch, msg);
            }
        }

        let period = match self.period(cell(Field::Period)) {
            Ok(p) => Some(p),
            Err((kind, msg)) => {
                self.error(row, Field::Period, kind, msg);
                None
            }
        };
        let period = period.filter(|p| {
            let y = p.calendar_year();
            let (first, last) = self.years;
            if y < first || y > last {
                let msg = Message::both(
                    format!("期间 {p} 不在规划年度内：只接受 {first} 年（基期）至 {last} 年的数据"),
                    format!(
                        "period {p} is outside the plan's years: figures from {first} (baselines) to {last} are accepted"
                    ),
                );
                self.error(row, Field::Period, ErrorKind::PeriodOutsidePlan, msg);
                return false;
            }
            if let Some(i) = indicator {
                let ind = &self.indicators[i as usize];
                if let Some(msg) = granularity_error(ind.code, ind.frequency, *p) {
                    self.error(row, Field::Period, ErrorKind::WrongGranularity, msg);
                    return false;
                }
            }
            true
        });

        let value = self.value(row, cell(Field::Value), indicator);

        let area = match cell(Field::Area) {
            Cell::Empty => NO_AREA,
            c => {
                let name = c.shown();
                if name == self.plan.plan.region.as_str() {
                    NO_AREA
                } else if let Some(&g) = self.geographies.get(name.as_ref()) {
                    g
                } else {
                    let g = self.geography_names.len() as u32;
                    self.geographies.insert(name.to_string(), g);
                    self.geography_names.push(name.into_owned());
                    g
                }
            }
        };

        if let (Some(i), Some(p)) = (indicator, period) {
            let first = match self.seen.entry((i, p, area)) {
                Entry::Occupied(e) => Some(*e.get()),
                Entry::Vacant(e) => {
                    e.insert(row);
                    None
                }
            };
            if let Some(first) = first {
                let ind = self.indicators[i as usize].code;
                let place = match area {
                    NO_AREA => String::new(),
                    g => format!(" in {}", self.geography_names[g as usize]),
                };
                let zh_place = match area {
                    NO_AREA => String::new(),
                    g => format!("（{}）", self.geography_names[g as usize]),
                };
                let msg = Message::both(
                    format!("重复的行：{ind} 在 {p}{zh_place} 的数据已在第 {first} 行给出"),
                    format!("duplicate row: {ind} for {p}{place} is already given in row {first}"),
                );
                self.error(row, Field::Code, ErrorKind::Duplicate, msg);
            }
        }

        if !self.row_errors.is_empty() {
            self.end_row();
            return;
        }
        if !self.errors.is_empty() {
            // Nothing will be imported: only keep checking.
            return;
        }
        let (Some(i), Some(period), Some(value)) = (indicator, period, value) else {
            return;
        };
        self.out.push(NewObservation {
            indicator: self.indicators[i as usize].code.to_string(),
            period,
            geography: (area != NO_AREA).then(|| self.geography_names[area as usize].clone()),
            value,
            source: cell(Field::Source).string(),
            note: cell(Field::Notes).string(),
            comment: cell(Field::Comment).string(),
        });
    }

    /// Moves the row's errors, in column order, to the file's.
    fn end_row(&mut self) {
        let header = &self.header;
        let at = |e: &RowError| e.field.and_then(|f| header.at[f as usize]).unwrap_or(usize::MAX);
        self.row_errors.sort_by_key(at);
        self.errors.extend(self.row_errors.drain(..));
    }

    fn period(&self, cell: &Cell<'_>) -> Result<Period, (ErrorKind, Message)> {
        const WANTED_ZH: &str = "请写年份（2023）、季度（2023Q2）或月份（2023-05）";
        let bad = |zh: String, en: String| (ErrorKind::BadPeriod, Message::both(zh, en));
        match cell {
            Cell::Empty => Err((
                ErrorKind::Missing,
                Message::both(
                    format!("缺少期间：{WANTED_ZH}"),
                    "no period: write a year (2023), a quarter (2023Q2) or a month (2023-05)",
                ),
            )),
            Cell::Text(s) => match full_date(s) {
                Some(date) => Err(bad(
                    format!("“{s}”是日期，不是期间：{WANTED_ZH}"),
                    date_message(s, date),
                )),
                None => parse_period(s).map_err(|e| bad(format!("无法识别期间“{s}”：{WANTED_ZH}"), e.to_string())),
            },
            Cell::Number(f) if f.fract() == 0.0 && (1000.0..=9999.0).contains(f) => Ok(Period::year(*f as i32)),
            Cell::Date { year, month, .. } => Period::month(*year, *month)
                .map_err(|e| bad(format!("无法识别期间“{}”：{WANTED_ZH}", cell.shown()), e.to_string())),
            other => Err(bad(
                format!("“{}”不是期间：{WANTED_ZH}", other.shown()),
                format!(
                    "`{}` is not a period: write a year (2023), a quarter (2023Q2) or a month (2023-05)",
                    other.shown()
                ),
            )),
        }
    }

    fn value(&mut self, row: usize, cell: &Cell<'_>, indicator: Option<u32>) -> Option<Decimal> {
        let not_a_number = |msg: Message| (ErrorKind::NotANumber, msg);
        let result = match cell {
            Cell::Text(s) => match number::parse_with(s, &mut self.scratch) {
                Err(NumberError::NotANumber) => Err(not_a_number(Message::NotANumber { text: s.to_string() })),
                Err(NumberError::TooPrecise) => Err(not_a_number(Message::both(
                    format!(
                        "“{s}”的位数超过可精确存储的范围（最多 28 位有效数字、小数点后 28 位），会被舍入：请减少位数"
                    ),
                    format!(
                        "\"{s}\" has more digits than can be stored exactly (at most 28 significant digits, \
                         28 after the point); it would be rounded: write it with fewer digits"
                    ),
                ))),
                Err(NumberError::TooLarge) => Err(not_a_number(Message::both(
                    format!("“{s}”太大，无法存储（上限约 7.9 × 10^28）：请检查单位"),
                    format!("\"{s}\" is too large to be stored (the limit is about 7.9 × 10^28): check the unit"),
                ))),
                Ok(n) if !n.percent => Ok(n.value),
                Ok(n) => match indicator.map(|i| &self.indicators[i as usize]) {
                    Some(ind) if ind.unit_key == "%" => Ok(n.value),
                    Some(ind) => Err((
                        ErrorKind::UnitMismatch,
                        Message::PercentForUnit {
                            text: s.to_string(),
                            code: ind.code.to_string(),
                            unit: ind.unit.to_string(),
                        },
                    )),
                    // The code is wrong already; say nothing more.
                    None => Ok(n.value),
                },
            },
            Cell::Number(f) => number::from_f64(*f).ok_or_else(|| {
                not_a_number(Message::both(
                    format!("{f} 不是可精确存储的数字"),
                    format!("{f} is not a number that can be stored exactly"),
                ))
            }),
            Cell::Date { .. } => Err(not_a_number(Message::both(
                format!("“{}”是日期，不是数字（请把单元格格式设为数值）", cell.shown()),
                format!(
                    "\"{}\" is a date, not a number (format the cell as a number)",
                    cell.shown()
                ),
            ))),
            Cell::Other(s) => Err(not_a_number(Message::both(
                format!("单元格内容为 {s}，不是数字"),
                format!("the cell holds {s}, not a number"),
            ))),
            Cell::Empty => return None,
        };
        match result {
            Ok(v) => Some(v),
            Err((kind, msg)) => {
                self.error(row, Field::Value, kind, msg);
                None
            }
        }
    }
}

/// Why period `p` does not fit an indicator reported at `frequency`, if it
/// does not: an annual indicator takes years; a quarterly one quarters and
/// years; a monthly one any period.
fn granularity_error(code: &str, frequency: Frequency, p: Period) -> Option<Message> {
    let g = p.granularity();
    let what = match g {
        Granularity::Month => "a month",
        Granularity::Quarter => "a quarter",
        Granularity::Year => "a year",
    };
    match (frequency, g) {
        (Frequency::Annual, Granularity::Year) | (Frequency::Quarterly, Granularity::Quarter | Granularity::Year) => {
            None
        }
        (Frequency::Monthly, _) => None,
        (Frequency::Annual, _) => Some(Message::both(
            format!("指标 {code} 按年填报：请写年份（如 {}），不要写 {p}", p.calendar_year()),
            format!(
                "indicator {code} is reported annually: write a year such as {}, not {what} ({p})",
                p.calendar_year()
            ),
        )),
        (Frequency::Quarterly, _) => Some(Message::both(
            format!(
                "指标 {code} 按季填报：请写季度（如 {}Q1）或年份，不要写 {p}",
                p.calendar_year()
            ),
            format!(
                "indicator {code} is reported quarterly: write a quarter such as {}Q1 or a year, not {what} ({p})",
                p.calendar_year()
            ),
        )),
    }
}

/// A unit folded for comparison: full-width forms to ASCII (％ → %),
/// superscripts to digits (m² → m2), no blanks, lower case.
fn unit_key(unit: &str) -> String {
    unit.chars()
        .map(fold_width)
        .map(|c| match c {
            '²' => '2',
            '³' => '3',
            c => c,
        })
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Parses a period as [`Period::parse`] does, and also as Chinese offices
/// write it: `2023年`, `2023年5月`, `2023年第二季度`, `2023年一季度`,
/// `2023/05`, in either width.
pub fn parse_period(text: &str) -> Result<Period, PeriodError> {
    match Period::parse(text) {
        Ok(p) => Ok(p),
        Err(e) => lenient_period(text).ok_or(e),
    }
}

fn lenient_period(text: &str) -> Option<Period> {
    let t: String = text.chars().map(fold_width).filter(|c| !c.is_whitespace()).collect();
    let year_of = |y: &str| (y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit())).then(|| y.parse::<i32>().ok())?;
    if let Some((y, m)) = t.split_once('/') {
        let m = m.strip_suffix('/').unwrap_or(m);
        let ok = !m.is_empty() && m.len() <= 2 && m.bytes().all(|b| b.is_ascii_digit());
        return if ok {
            Period::month(year_of(y)?, m.parse().ok()?).ok()
        } else {
            None
        };
    }
    let (y, rest) = t.split_once('年')?;
    let year = year_of(y)?;
    if rest.is_empty() || rest == "度" || rest == "全年" {
        return Some(Period::year(year));
    }
    if let Some(m) = rest.strip_suffix("月份").or_else(|| rest.strip_suffix('月')) {
        let month = numeral(m)?;
        return u8::try_from(month).ok().and_then(|m| Period::month(year, m).ok());
    }
    let q = rest
        .strip_suffix("季度")
        .or_else(|| rest.strip_suffix('季'))
        .map(|q| q.strip_prefix('第').unwrap_or(q))
        .or_else(|| rest.strip_prefix(['Q', 'q']))?;
    let quarter = numeral(q)?;
    u8::try_from(quarter).ok().and_then(|q| Period::quarter(year, q).ok())
}

/// A text that is a whole date — `2023-02-30`, `2023/2/30`, `2023.02.30`,
/// `2023年2月30日` — as (year, month, day), whether or not the day exists.
fn full_date(text: &str) -> Option<(i32, u32, u32)> {
    let t: String = text.chars().map(fold_width).filter(|c| !c.is_whitespace()).collect();
    let num = |s: &str, max: usize| {
        (!s.is_empty() && s.len() <= max && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse::<u32>().ok())?
    };
    let (y, m, d) = if let Some((y, rest)) = t.split_once('年') {
        let (m, d) = rest.split_once('月')?;
        (y, m, d.strip_suffix(['日', '号']).unwrap_or(d))
    } else {
        let sep = t.chars().find(|c| matches!(c, '-' | '/' | '.'))?;
        let mut parts = t.split(sep);
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() {
            return None;
        }
        (y, m, d)
    };
    if y.len() != 4 {
        return None;
    }
    Some((num(y, 4)? as i32, num(m, 2)?, num(d, 2)?))
}

/// Why a whole date is not a period: the day or month does not exist, or
/// a period is wanted instead.
fn date_message(text: &str, (year, month, day): (i32, u32, u32)) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let wanted = "a period is a year (2023), a quarter (2023Q2) or a month (2023-05)";
    if !(1..=12).contains(&month) {
        return format!("`{text}`: there is no month {month} (months are 1 to 12); {wanted}");
    }
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    let name = MONTHS[month as usize - 1];
    if day == 0 || day > days {
        format!("`{text}`: the day {day} does not exist in {name} {year}, which has {days} days; {wanted}")
    } else {
        format!("`{text}` is a date, not a period: write its month ({year}-{month:02}); {wanted}")
    }
}

/// `5`, `05`, `五`, `十二` → the number.
fn numeral(s: &str) -> Option<u32> {
    if !s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse().ok();
    }
    let digit = |c: char| "一二三四五六七八九".chars().position(|d| d == c).map(|p| p as u32 + 1);
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        ['十'] => Some(10),
        [c] => digit(*c),
        ['十', c] => Some(10 + digit(*c)?),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_as_offices_write_them() {
        let p = |s: &str| parse_period(s).map(|p| p.to_string());
        assert_eq!(p("2023").unwrap(), "2023");
        assert_eq!(p("2023年").unwrap(), "2023");
        assert_eq!(p("２０２３年").unwrap(), "2023");
        assert_eq!(p("2023年5月").unwrap(), "2023-05");
        assert_eq!(p("2023年12月份").unwrap(), "2023-12");
        assert_eq!(p("2023年十二月").unwrap(), "2023-12");
        assert_eq!(p("2023年第二季度").unwrap(), "2023Q2");
        assert_eq!(p("2023年一季度").unwrap(), "2023Q1");
        assert_eq!(p("2023年4季度").unwrap(), "2023Q4");
        assert_eq!(p("2023/05").unwrap(), "2023-05");
        assert!(p("2023年13月").is_err());
        assert!(p("2023年第五季度").is_err());
        assert!(p("23年").is_err());
        assert!(p("2023/5/1").is_err());
        assert!(p("去年").is_err());
    }

    #[test]
    fn whole_dates_are_refused_saying_why() {
        assert_eq!(full_date("2023-02-30"), Some((2023, 2, 30)));
        assert_eq!(full_date("２０２３年２月３０日"), Some((2023, 2, 30)));
        assert_eq!(full_date("2023/2/3"), Some((2023, 2, 3)));
        assert_eq!(full_date("2023-02"), None);
        assert_eq!(full_date("2023年5月"), None);
        assert_eq!(full_date("23-02-01"), None);
        let m = date_message("2023-02-30", (2023, 2, 30));
        assert!(
            m.contains("day 30 does not exist in February 2023, which has 28 days"),
            "{m}"
        );
        assert!(date_message("2024-02-30", (2024, 2, 30)).contains("29 days"));
        assert!(date_message("2023-13-01", (2023, 13, 1)).contains("no month 13"));
        assert!(date_message("2023-02-15", (2023, 2, 15)).contains("write its month (2023-02)"));
    }

    #[test]
    fn units_fold_width_and_blanks() {
        assert_eq!(unit_key("％"), "%");
        assert_eq!(unit_key(" 万 元 "), "万元");
        assert_eq!(unit_key("m²"), unit_key("M2"));
        assert_eq!(unit_key("ｋｍ"), "km");
    }
}
