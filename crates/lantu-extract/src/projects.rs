//! Named key projects (重点项目/工程): a verb that says what is due (开工建设,
//! 建成, 竣工, 投产, 推进, 实施……) followed by one or more names that end in
//! what projects are (工程, 项目, 污水处理厂, 产业园, 大道, 大桥, 线……), with a
//! capacity in brackets when the text gives one (45 万吨/日).

use crate::model::Quantity;
use crate::quantity::lex;
use crate::scan::{at, ends_with, is_cjk, Words};

/// Verbs of project delivery, longest first.
const ACTIONS: &[&str] = &[
    "推动建设",
    "加快建设",
    "开工建设",
    "启动建设",
    "规划建设",
    "谋划建设",
    "推进建设",
    "全力推进",
    "加快推进",
    "积极推进",
    "建成投用",
    "建成投产",
    "竣工投产",
    "改扩建",
    "新建",
    "建成",
    "竣工",
    "投产",
    "开工",
    "推进",
    "实施",
    "启动",
    "完成",
    "建设",
    "打造",
];

/// What a project name ends with, longest first.
const SUFFIXES: &[&str] = &[
    "污水处理厂",
    "处理厂",
    "产业园",
    "科技园",
    "示范园",
    "工业园",
    "物流园",
    "园区",
    "工程",
    "项目",
    "电厂",
    "水厂",
    "大道",
    "道路",
    "公路",
    "快速路",
    "高速",
    "大桥",
    "隧道",
    "枢纽",
    "机场",
    "水库",
    "泵站",
    "管网",
    "医院",
    "中心",
    "基地",
    "公园",
    "场馆",
    "体育馆",
    "图书馆",
    "博物馆",
    "展馆",
    "学校",
    "中学",
    "小学",
    "幼儿园",
    "线",
    "桥",
    "路",
    "厂",
    "园",
    "站",
    "港",
    "馆",
];

/// Names that say what kind of thing, not which one.
const GENERIC: &[&str] = &[
    "重点项目",
    "建设项目",
    "重大项目",
    "项目",
    "工程",
    "基础设施项目",
    "配套项目",
    "民生工程",
    "产业项目",
    "招商项目",
    "示范项目",
    "试点项目",
    "一批项目",
];

/// A project read from a sentence: (compact start of name, name, action,
/// quantities).
pub struct Found {
    pub at: usize,
    pub name: String,
    pub action: String,
    pub quantities: Vec<Quantity>,
}

fn is_break(c: char) -> bool {
    matches!(c, ',' | ';' | ':' | '。' | '!' | '?' | '、' | '(' | ')')
}

/// Projects named in sentence `[from, to)`.
pub fn read_sentence(s: &[char], from: usize, to: usize) -> Vec<Found> {
    // Nothing past the sentence is looked at: lookahead stays bounded, so
    // the whole pass stays linear in the text.
    let s = &s[..to.min(s.len())];
    let mut out = Vec::new();
    static WORDS: std::sync::OnceLock<Words> = std::sync::OnceLock::new();
    let words = WORDS.get_or_init(|| Words::new(ACTIONS));
    let mut i = from;
    while i < to {
        let Some(action) = words.at(s, i).map(|k| ACTIONS[k]) else {
            i += 1;
            continue;
        };
        // The verb opens a clause or follows a list break.
        if i > from
            && !is_break(s[i - 1])
            && ![
                "积极", "加快", "全力", "有序", "重点", "大力", "着力", "稳步", "持续", "力争", "基本", "全面",
            ]
            .iter()
            .any(|w| ends_with(s, i, w))
        {
            i += 1;
            continue;
        }
        let mut k = i + action.chars().count();
        // A list of names separated by 、 until the clause ends.
        loop {
            let start = k;
            while k < to && !is_break(s[k]) && !at(s, k, "等") && !at(s, k, "和") && k - start < 30 {
                k += 1;
            }
            let raw: String = s[start..k].iter().collect();
            if let Some(name) = project_name(&raw) {
                let mut quantities = Vec::new();
                // 津沽污水处理厂三期( 45 万吨 / 日)
                if s.get(k) == Some(&'(') {
                    if let Some(close) = (k + 1..to.min(k + 20)).find(|&j| s[j] == ')') {
                        quantities = lex(s, k + 1, close)
                            .into_iter()
                            .map(|q| Quantity {
                                value: q.value,
                                unit: q.unit,
                            })
                            .collect();
                        k = close + 1;
                    }
                }
                out.push(Found {
                    at: start,
                    name,
                    action: action.to_string(),
                    quantities,
                });
            }
            if k < to && matches!(s[k], '、') || at(s, k, "和") {
                k += 1;
                continue;
            }
            break;
        }
        i = k.max(i + 1);
    }
    out
}

/// The name if `raw` ends like a project and is specific enough.
fn project_name(raw: &str) -> Option<String> {
    // "具有品牌影响力的国家级产业园": the name is what follows the last 的.
    let raw = raw.rsplit('的').next().unwrap_or(raw);
    // A counted kind (3 所中学) or a collective (各镇道路, 我区中小学) is no name.
    if raw.starts_with(|c: char| c.is_ascii_digit())
        || [
            "我区", "我市", "我县", "全区", "全市", "各镇", "各区", "各县", "各类", "以",
        ]
        .iter()
        .any(|p| raw.starts_with(p))
    {
        return None;
    }
    let chars: Vec<char> = raw.chars().collect();
    let n = chars.len();
    if !(3..=28).contains(&n)
        || !chars
            .iter()
            .all(|&c| is_cjk(c) || c.is_ascii_alphanumeric() || matches!(c, '·' | '•' | '-' | '“' | '”' | '期'))
    {
        return None;
    }
    // 三期/二期 after the name is the phase of the same project.
    let stem = match chars.as_slice() {
        [.., d, '期'] if crate::quantity::parse_chinese_numeral(&[*d], 0).is_some() => {
            chars[..n - 2].iter().collect::<String>()
        }
        _ => raw.to_string(),
    };
    let suffix = SUFFIXES.iter().find(|s| stem.ends_with(*s))?;
    let base = &stem[..stem.len() - suffix.len()];
    // 三期/二期 after the name is part of it; 一批/各类 before it is not a name.
    if GENERIC
        .iter()
        .any(|g| raw == *g || raw.ends_with(g) && base.chars().count() < 3)
        || ["一批", "各类", "相关", "一系列", "重点", "若干"]
            .iter()
            .any(|p| raw.starts_with(p))
    {
        return None;
    }
    if base.chars().count() < 2 {
        return None;
    }
    Some(raw.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::Compact;

    fn names(t: &str) -> Vec<(String, String, usize)> {
        let c = Compact::new(t);
        read_sentence(&c.chars, 0, c.chars.len())
            .into_iter()
            .map(|f| (f.name, f.action, f.quantities.len()))
            .collect()
    }

    #[test]
    fn named_projects_with_capacity() {
        let v = names(
            "推动建设津沽污水处理厂三期( 45 万吨 / 日)、葛沽镇污水处理厂( 4.8 万吨 / 日),实施马厂减河生态修复工程。",
        );
        assert_eq!(
            (v[0].0.as_str(), v[0].1.as_str(), v[0].2),
            ("津沽污水处理厂三期", "推动建设", 1)
        );
        assert!(v.iter().any(|x| x.0 == "葛沽镇污水处理厂" && x.2 == 1), "{v:?}");
        assert!(
            v.iter().any(|x| x.0 == "马厂减河生态修复工程" && x.1 == "实施"),
            "{v:?}"
        );
    }

    #[test]
    fn generic_words_are_not_projects() {
        assert!(names("加快推进一批重点项目,实施民生工程。").is_empty());
    }
}
