//! Words of Chinese plans that decide how a figure is read. General to the
//! genre (国民经济和社会发展规划, 专项规划), never to one plan.

use lantu_core::Comparator;

/// Cue words before a figure, longest first, with the comparator they give.
/// `None` = a level verb (达到, 实现……) whose meaning depends on direction.
pub const CUES: &[(&str, Option<Comparator>)] = &[
    ("不低于", Some(Comparator::AtLeast)),
    ("不少于", Some(Comparator::AtLeast)),
    ("不小于", Some(Comparator::AtLeast)),
    ("不下于", Some(Comparator::AtLeast)),
    ("至少", Some(Comparator::AtLeast)),
    ("超过", Some(Comparator::AtLeast)),
    ("高于", Some(Comparator::AtLeast)),
    ("大于", Some(Comparator::AtLeast)),
    ("不超过", Some(Comparator::AtMost)),
    ("不高于", Some(Comparator::AtMost)),
    ("不大于", Some(Comparator::AtMost)),
    ("控制在", Some(Comparator::AtMost)),
    ("控制到", Some(Comparator::AtMost)),
    ("下降到", Some(Comparator::AtMost)),
    ("下降至", Some(Comparator::AtMost)),
    ("降低到", Some(Comparator::AtMost)),
    ("降低至", Some(Comparator::AtMost)),
    ("压缩到", Some(Comparator::AtMost)),
    ("压缩至", Some(Comparator::AtMost)),
    ("压减到", Some(Comparator::AtMost)),
    ("压减至", Some(Comparator::AtMost)),
    ("减少到", Some(Comparator::AtMost)),
    ("减少至", Some(Comparator::AtMost)),
    ("降至", Some(Comparator::AtMost)),
    ("降到", Some(Comparator::AtMost)),
    ("低于", Some(Comparator::AtMost)),
    ("提高到", None),
    ("提高至", None),
    ("提升到", None),
    ("提升至", None),
    ("增加到", None),
    ("增加至", None),
    ("增长到", None),
    ("增长至", None),
    ("扩大到", None),
    ("扩大至", None),
    ("稳定在", None),
    ("保持在", None),
    ("维持在", None),
    ("达到", None),
    ("突破", Some(Comparator::AtLeast)),
    ("增至", None),
    ("实现", None),
    ("达", None),
    ("为", None),
];

/// Verbs of building or adding things: a bare count after them is an exact
/// number of things to deliver (新建 3 所中学 → = 3).
pub const BUILD_VERBS: &[&str] = &[
    "开工建设",
    "提升改造",
    "改造提升",
    "新建改造",
    "建设培育",
    "培育引进",
    "引进培育",
    "串联整合",
    "实施改造",
    "新建",
    "新增",
    "建成",
    "建设",
    "开工",
    "竣工",
    "打造",
    "培育",
    "引育",
    "引进",
    "引培",
    "改造",
    "保留",
    "布局",
    "创建",
    "组建",
    "设立",
    "建立",
    "实施",
    "完成",
    "整合",
    "串联",
    "搬迁",
    "扩建",
    "改建",
    "配建",
    "增设",
    "增加",
    "提供",
    "举办",
    "招引",
    "落地",
];

/// Words that mark an indicator where less is better: its "达到 X" is a ceiling.
pub const LOWER_IS_BETTER: &[&str] = &[
    "浓度",
    "排放",
    "能耗",
    "能源消耗",
    "水耗",
    "用水量",
    "失业率",
    "发生率",
    "死亡率",
    "病死率",
    "事故",
    "负债率",
    "碳排放",
    "二氧化碳",
    "噪声",
    "空置率",
    "贫困",
    "超标",
    "劣V类",
    "劣Ⅴ类",
    "黑臭",
    "债务",
    "赤字",
    "恩格尔系数",
    "基尼系数",
    "漏损率",
    "用时",
    "时限",
    "时间",
    "天数",
    "重污染",
    "发病率",
    "患病率",
    "近视率",
    "肥胖率",
    "犯罪率",
    "亡人",
    "伤亡",
    "损失",
    "能源强度",
    "碳强度",
    "消耗量",
    "使用量",
    "等待",
    "拥堵",
    "压减",
    "削减",
];

/// Lower-is-better unless one of these is in the name (研发投入强度 is higher-is-better).
const HIGHER_EXCEPTIONS: &[&str] = &[
    "投入强度",
    "研发",
    "R&D",
    "减排量",
    "削减量",
    "治理率",
    "处理率",
    "达标",
    "下降率",
    "降幅",
    "消除比例",
    "消除率",
    "优良",
    "利用率",
    "处置率",
    "处置能力",
    "去除率",
    "收集率",
];

pub fn lower_is_better(indicator: &str) -> bool {
    use crate::scan::Words;
    use std::sync::OnceLock;
    static LOWER: OnceLock<Words> = OnceLock::new();
    static HIGHER: OnceLock<Words> = OnceLock::new();
    let chars: Vec<char> = indicator.chars().collect();
    let has = |w: &Words| (0..chars.len()).any(|i| w.at(&chars, i).is_some());
    has(LOWER.get_or_init(|| Words::new(LOWER_IS_BETTER))) && !has(HIGHER.get_or_init(|| Words::new(HIGHER_EXCEPTIONS)))
}

/// Leading words that frame a sentence but are not part of an indicator name.
pub const FRAME_PREFIXES: &[&str] = &[
    "基本实现",
    "力争实现",
    "坚持",
    "努力实现",
    "共计可提供",
    "持续加大",
    "进一步",
    "其中",
    "力争",
    "实现",
    "确保",
    "努力",
    "全区",
    "全市",
    "全县",
    "全省",
    "全镇",
    "全国",
    "我区",
    "我市",
    "我县",
    "我省",
    "基本",
    "推进",
    "推动",
    "共计",
    "同时",
    "以及",
    "并且",
    "并",
    "且",
    "使",
    "将",
    "把",
    "让",
    "可",
    "要",
    "均",
    "都",
    "和",
    "及",
    "、",
    ",",
    ":",
    ";",
    "(",
    ")",
    "“",
    "”",
    "的",
];

/// Trailing words to drop from an indicator name.
pub const FRAME_SUFFIXES: &[&str] = &[
    "分别", "均", "都", "已", "要", "将", "能", "可", "需", "累计", "年均", "总计", "合计", "的", ",", "、", "和",
    "及", "力争", "达", "争取", "稳步", "预计",
];

/// Sentence words that say a figure was already achieved (a baseline even
/// outside the review of the last period).
pub const PAST_MARKERS: &[&str] = &[
    "截至",
    "截止",
    "已经",
    "已达",
    "已建成",
    "已完成",
    "已累计",
    "现有",
    "目前",
    "当前",
    "业已",
];

/// Words of a clause about carrying out the plan itself (制定本规划涉及本地区的
/// 主要目标任务实施方案, 合理设置年度落实目标任务): its 目标任务 is no quota.
pub const PLAN_WORK_WORDS: &[&str] = &["本规划", "规划目标", "规划”", "实施方案", "年度", "分解", "制定"];

/// Words that tie a goal to a quota or standard set elsewhere (relative targets).
pub const RELATIVE_MARKERS: &[(&str, Option<Comparator>)] = &[
    ("下达的", None),
    ("下达", None),
    ("考核要求", None),
    ("考核目标", None),
    ("指标任务", None),
    ("目标任务", None),
    ("限额", Some(Comparator::AtMost)),
    ("上限标准", None),
    ("控制目标", Some(Comparator::AtMost)),
    ("基本同步", Some(Comparator::Approx)),
    ("增长同步", Some(Comparator::Approx)),
    ("提高同步", Some(Comparator::Approx)),
    ("同步增长", Some(Comparator::Approx)),
];

/// The word lists matched through [`crate::scan::Words`], by name, for
/// [`record`]. (FRAME_PREFIXES, FRAME_SUFFIXES and PAST_MARKERS are matched
/// word by word elsewhere and are not recorded.)
pub fn recorded_lists() -> Vec<(&'static str, Vec<&'static str>)> {
    vec![
        ("cues", CUES.iter().map(|c| c.0).collect()),
        ("build_verbs", BUILD_VERBS.to_vec()),
        ("lower_is_better", LOWER_IS_BETTER.to_vec()),
        ("higher_exceptions", HIGHER_EXCEPTIONS.to_vec()),
        ("relative_markers", RELATIVE_MARKERS.iter().map(|c| c.0).collect()),
    ]
}

/// A list's identity: a hash of its words in order (FNV-1a).
pub fn list_id(words: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for w in words {
        for b in w.bytes().chain([0]) {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

thread_local! {
    static FIRED: std::cell::RefCell<Option<std::collections::HashSet<(u64, usize)>>> =
        const { std::cell::RefCell::new(None) };
}

/// Called on every match of a word list; records it while [`record`] runs.
#[inline]
pub(crate) fn fired(list: u64, k: usize) {
    FIRED.with(|f| {
        if let Some(set) = f.borrow_mut().as_mut() {
            set.insert((list, k));
        }
    });
}

/// Runs `f` (an extraction) and returns, with its result, the entries of
/// [`recorded_lists`] that matched somewhere while it ran, as (list, word).
pub fn record<T>(f: impl FnOnce() -> T) -> (T, Vec<(&'static str, &'static str)>) {
    let previous = FIRED.with(|s| s.borrow_mut().replace(Default::default()));
    let out = f();
    let set = FIRED
        .with(|s| std::mem::replace(&mut *s.borrow_mut(), previous))
        .unwrap_or_default();
    let mut hits = Vec::new();
    for (name, words) in recorded_lists() {
        let id = list_id(&words);
        hits.extend(
            (0..words.len())
                .filter(|k| set.contains(&(id, *k)))
                .map(|k| (name, words[k])),
        );
    }
    (out, hits)
}

#[cfg(test)]
mod record_tests {
    use super::*;

    #[test]
    fn record_names_the_entries_that_matched() {
        let (ex, hits) = record(|| crate::extract("到2025年，森林覆盖率不低于25%。\n"));
        assert_eq!(ex.targets.len(), 1);
        assert!(hits.contains(&("cues", "不低于")), "{hits:?}");
        assert!(!hits.contains(&("cues", "控制在")));
        // Outside `record`, nothing is kept.
        crate::extract("PM2.5浓度控制在30微克/立方米。\n");
        assert!(FIRED.with(|s| s.borrow().is_none()));
    }
}
