//! The one message table of validation and import (校验与导入提示): every
//! message a person gets about a figure they entered or a file they handed
//! in, in Chinese and English. Adapters pick the language (the web page's,
//! the API's `Accept-Language`, the CLI's `--lang`); the text is the same
//! whichever path the figure came by.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The language of an interface: Chinese unless something says otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    /// `zh`, `zh-CN`, `en`, `en_US.UTF-8` …; `None` for anything else.
    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.trim().to_ascii_lowercase();
        let base = s.split(['.', '@']).next().unwrap_or("").replace('_', "-");
        match base.as_str() {
            "zh" | "zh-cn" | "zh-hans" | "zh-sg" | "zh-tw" | "zh-hk" | "zh-hant" | "cn" => Some(Lang::Zh),
            "en" | "en-us" | "en-gb" | "en-au" | "en-ca" => Some(Lang::En),
            _ => None,
        }
    }

    /// The first language of an `Accept-Language` header this table has,
    /// by the header's order (quality weights are in that order in practice).
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        header
            .split(',')
            .filter_map(|part| part.split(';').next())
            .find_map(|tag| Lang::parse(tag).or_else(|| Lang::parse(tag.trim().split('-').next().unwrap_or(""))))
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    /// The `lang` attribute of `<html>`.
    pub fn html(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

/// A message about one figure or one cell, before its language is chosen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "message", rename_all = "snake_case")]
pub enum Message {
    /// The value is below the indicator's lowest allowed value.
    BelowMin {
        code: String,
        name: String,
        value: Decimal,
        min: Decimal,
        unit: String,
    },
    /// The value is above the indicator's highest allowed value.
    AboveMax {
        code: String,
        name: String,
        value: Decimal,
        max: Decimal,
        unit: String,
    },
    /// The indicator takes whole numbers only.
    NotInteger { code: String, name: String, value: Decimal },
    /// The value moved further from the previous period's than the rule
    /// allows: saved only with a comment.
    LargeChange {
        code: String,
        name: String,
        previous_period: String,
        previous: Decimal,
        value: Decimal,
        /// `+300%` or `+60 个百分点`-style change, as shown.
        change: Change,
        limit: Change,
    },
    /// A part is larger than its whole.
    PartExceedsWhole {
        part: String,
        part_name: String,
        part_value: Decimal,
        whole: String,
        whole_name: String,
        whole_value: Decimal,
        period: String,
    },
    /// The parts do not add up to the total.
    SumMismatch {
        total: String,
        total_name: String,
        total_value: Decimal,
        parts: Vec<String>,
        sum: Decimal,
        period: String,
    },
    /// A cross-indicator rule with the planner's own words.
    Custom { zh: String, en: String },
    /// Changing a published figure is a correction and needs a reason.
    CorrectionNeedsReason { code: String, name: String, period: String },
    /// The cell is not a number.
    NotANumber { text: String },
    /// A percentage was written for an indicator whose unit is not %.
    PercentForUnit { text: String, code: String, unit: String },
    /// Any other message, written in both languages where it arises.
    Text { zh: String, en: String },
}

/// A change from one value to the next: relative (percent of the previous
/// value) or absolute (percentage points, for indicators in %).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    Percent(Decimal),
    Points(Decimal),
}

impl Change {
    fn text(self, lang: Lang) -> String {
        let signed = |d: Decimal| {
            let d = d.round_dp(1).normalize();
            if d.is_sign_negative() {
                d.to_string()
            } else {
                format!("+{d}")
            }
        };
        match (self, lang) {
            (Change::Percent(p), _) => format!("{}%", signed(p)),
            (Change::Points(p), Lang::Zh) => format!("{} 个百分点", signed(p)),
            (Change::Points(p), Lang::En) => format!("{} percentage points", signed(p)),
        }
    }

    fn limit(self, lang: Lang) -> String {
        match (self, lang) {
            (Change::Percent(p), _) => format!("±{}%", p.normalize()),
            (Change::Points(p), Lang::Zh) => format!("±{} 个百分点", p.normalize()),
            (Change::Points(p), Lang::En) => format!("±{} percentage points", p.normalize()),
        }
    }
}

fn num(d: Decimal, unit: &str) -> String {
    let d = d.normalize();
    if unit.is_empty() {
        d.to_string()
    } else if unit == "%" {
        format!("{d}%")
    } else {
        format!("{d} {unit}")
    }
}

impl Message {
    /// The message in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        use Message::*;
        let zh = lang == Lang::Zh;
        match self {
            BelowMin {
                code,
                name,
                value,
                min,
                unit,
            } => {
                if zh {
                    format!(
                        "{name}（{code}）的数值 {} 低于允许的最小值 {}，请核对。",
                        num(*value, unit),
                        num(*min, unit)
                    )
                } else {
                    format!(
                        "{name} ({code}): {} is below the lowest allowed value, {}; check the figure.",
                        num(*value, unit),
                        num(*min, unit)
                    )
                }
            }
            AboveMax {
                code,
                name,
                value,
                max,
                unit,
            } => {
                if zh {
                    format!(
                        "{name}（{code}）的数值 {} 高于允许的最大值 {}，请核对。",
                        num(*value, unit),
                        num(*max, unit)
                    )
                } else {
                    format!(
                        "{name} ({code}): {} is above the highest allowed value, {}; check the figure.",
                        num(*value, unit),
                        num(*max, unit)
                    )
                }
            }
            NotInteger { code, name, value } => {
                if zh {
                    format!("{name}（{code}）只能填整数，{} 不是整数。", value.normalize())
                } else {
                    format!(
                        "{name} ({code}) takes whole numbers only; {} is not one.",
                        value.normalize()
                    )
                }
            }
            LargeChange {
                code,
                name,
                previous_period,
                previous,
                value,
                change,
                limit,
            } => {
                if zh {
                    format!(
                        "{name}（{code}）由 {previous_period} 的 {} 变为 {}（{}），超过 {}：请在“说明”中写明原因后再保存。",
                        previous.normalize(),
                        value.normalize(),
                        change.text(lang),
                        limit.limit(lang)
                    )
                } else {
                    format!(
                        "{name} ({code}) moves from {} in {previous_period} to {} ({}), more than {}: \
                         write the reason in the comment to save it.",
                        previous.normalize(),
                        value.normalize(),
                        change.text(lang),
                        limit.limit(lang)
                    )
                }
            }
            PartExceedsWhole {
                part,
                part_name,
                part_value,
                whole,
                whole_name,
                whole_value,
                period,
            } => {
                if zh {
                    format!(
                        "{period}：{part_name}（{part}）的 {} 大于 {whole_name}（{whole}）的 {}，部分不能大于整体。",
                        part_value.normalize(),
                        whole_value.normalize()
                    )
                } else {
                    format!(
                        "{period}: {part_name} ({part}) is {}, more than {whole_name} ({whole}) at {}; \
                         a part cannot exceed its whole.",
                        part_value.normalize(),
                        whole_value.normalize()
                    )
                }
            }
            SumMismatch {
                total,
                total_name,
                total_value,
                parts,
                sum,
                period,
            } => {
                let list = parts.join(if zh { "、" } else { ", " });
                if zh {
                    format!(
                        "{period}：分项 {list} 之和为 {}，与总量 {total_name}（{total}）的 {} 不符。",
                        sum.normalize(),
                        total_value.normalize()
                    )
                } else {
                    format!(
                        "{period}: the parts {list} add up to {}, not to the total {total_name} ({total}) of {}.",
                        sum.normalize(),
                        total_value.normalize()
                    )
                }
            }
            Custom { zh: z, en: e } | Text { zh: z, en: e } => {
                if zh {
                    z.clone()
                } else {
                    e.clone()
                }
            }
            CorrectionNeedsReason { code, name, period } => {
                if zh {
                    format!("{name}（{code}）{period} 的数据已发布，修改即为更正：请填写更正原因。")
                } else {
                    format!("{name} ({code}) for {period} is published; a change is a correction: give its reason.")
                }
            }
            NotANumber { text } => {
                if zh {
                    format!("“{text}”不是数字")
                } else {
                    format!("\"{text}\" is not a number")
                }
            }
            PercentForUnit { text, code, unit } => {
                if zh {
                    let unit = if unit.is_empty() { "无" } else { unit };
                    format!("“{text}”是百分数，但指标 {code} 的单位是{unit}：请只填数字")
                } else {
                    let unit = if unit.is_empty() { "none" } else { unit };
                    format!("\"{text}\" is a percentage, but the unit of indicator {code} is {unit}: write the number alone")
                }
            }
        }
    }

    /// A message given in both languages where it arises.
    pub fn both(zh: impl Into<String>, en: impl Into<String>) -> Message {
        Message::Text {
            zh: zh.into(),
            en: en.into(),
        }
    }
}

/// A message written in one language only (a technical detail, such as
/// a damaged zip archive's): the same words in either interface.
impl From<String> for Message {
    fn from(s: String) -> Message {
        Message::Text { zh: s.clone(), en: s }
    }
}

impl From<&str> for Message {
    fn from(s: &str) -> Message {
        Message::from(s.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_come_from_tags_headers_and_locales() {
        assert_eq!(Lang::parse("zh_CN.UTF-8"), Some(Lang::Zh));
        assert_eq!(Lang::parse("en_US.UTF-8"), Some(Lang::En));
        assert_eq!(Lang::parse("C"), None);
        assert_eq!(Lang::from_accept_language("en-US,en;q=0.9"), Some(Lang::En));
        assert_eq!(Lang::from_accept_language("fr-FR, zh-CN;q=0.8"), Some(Lang::Zh));
        assert_eq!(Lang::from_accept_language("fr"), None);
    }

    #[test]
    fn each_message_reads_in_both_languages() {
        let m = Message::AboveMax {
            code: "t001".into(),
            name: "森林覆盖率".into(),
            value: Decimal::from(150),
            max: Decimal::from(100),
            unit: "%".into(),
        };
        assert_eq!(
            m.text(Lang::Zh),
            "森林覆盖率（t001）的数值 150% 高于允许的最大值 100%，请核对。"
        );
        assert!(m.text(Lang::En).contains("above the highest allowed value, 100%"));
        let n = Message::NotANumber {
            text: "四十二".into()
        };
        assert_eq!(n.text(Lang::Zh), "“四十二”不是数字");
        assert_eq!(n.text(Lang::En), "\"四十二\" is not a number");
        let c = Message::LargeChange {
            code: "t".into(),
            name: "n".into(),
            previous_period: "2023".into(),
            previous: Decimal::from(10),
            value: Decimal::from(40),
            change: Change::Percent(Decimal::from(300)),
            limit: Change::Percent(Decimal::from(100)),
        };
        assert!(
            c.text(Lang::Zh).contains("（+300%），超过 ±100%"),
            "{}",
            c.text(Lang::Zh)
        );
    }
}
