//! What a plan says about itself in its first lines: the title (……国民经济和
//! 社会发展第十四个五年规划和二〇三五年远景目标纲要), the body that owns it,
//! and the vision year.

use crate::model::PlanInfo;
use crate::period::PlanPeriod;
use crate::quantity::{parse_arabic, parse_chinese_year};
use crate::scan::fold;

/// Words that end the name of the owning body inside a title.
const TITLE_HEADS: &[&str] = &[
    "国民经济和社会发展",
    "国民经济与社会发展",
    "经济和社会发展",
    "“十",
    "\"十",
    "十四五",
    "十五五",
    "十三五",
    "第十",
];

/// Reads the plan's own description from the first lines of `text`.
pub fn plan_info(text: &str, period: PlanPeriod) -> PlanInfo {
    let title = text
        .lines()
        .take(12)
        .map(|l| l.chars().filter(|c| !c.is_whitespace()).map(fold).collect::<String>())
        .find(|l| (l.contains("规划") || l.contains("纲要")) && l.chars().count() <= 80 && !l.contains('。'))
        .unwrap_or_default();
    let region = region_of(&title);
    let chars: Vec<char> = title.chars().collect();
    let vision_year = (0..chars.len()).find_map(|i| {
        let y = parse_chinese_year(&chars, i).map(|y| y as i32).or_else(|| {
            parse_arabic(&chars, i)
                .and_then(|(v, _)| v.to_string().parse::<i32>().ok())
                .filter(|_| i == 0 || !chars[i - 1].is_ascii_digit())
        })?;
        let rest: String = chars[i..].iter().take(12).collect();
        (y > period.end && rest.contains("远景")).then_some(y)
    });
    PlanInfo {
        title,
        region,
        start_year: period.start,
        end_year: period.end,
        vision_year,
    }
}

/// The owning body: the title up to 国民经济和社会发展 / “十四五”, brackets
/// dropped ((天津市)津南区 → 天津市津南区).
fn region_of(title: &str) -> String {
    let cut = TITLE_HEADS.iter().filter_map(|h| title.find(h)).min().unwrap_or(0);
    title[..cut]
        .chars()
        .filter(|c| !matches!(c, '(' | ')' | '（' | '）' | '《' | '》'))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_region_and_vision() {
        let p = PlanPeriod { start: 2021, end: 2025 };
        let i = plan_info("(天津市)津南区国民经济和社会发展十四五规划(2022年更新)\n正文。", p);
        assert_eq!(i.region, "天津市津南区");
        let i = plan_info(
            "某省某市国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要\n",
            p,
        );
        assert_eq!((i.region.as_str(), i.vision_year), ("某省某市", Some(2035)));
        let i = plan_info("某县“十四五”生态环境保护规划\n", p);
        assert_eq!(i.region, "某县");
        assert_eq!(plan_info("", p).title, "");
    }
}
