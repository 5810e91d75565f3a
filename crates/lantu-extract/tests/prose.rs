//! Figures in running prose, one sentence at a time: each case is the
//! sentence and the figures expected from it, side by side.

use lantu_extract::prose::read_sentence;
use lantu_extract::scan::Compact;

/// (comparator, value, unit) of every figure read from `sentence`.
fn read(sentence: &str) -> Vec<(&'static str, String, Option<String>)> {
    let c = Compact::new(sentence);
    read_sentence(&c.chars, 0, c.chars.len())
        .into_iter()
        .map(|r| {
            (
                r.comparator.as_str(),
                r.value.map_or("-".to_owned(), |v| v.normalize().to_string()),
                r.unit,
            )
        })
        .collect()
}

/// A sentence and its expected (comparator, value, unit) figures.
type Case<'a> = (&'a str, &'a [(&'a str, &'a str, Option<&'a str>)]);

fn check(cases: &[Case]) {
    for (sentence, want) in cases {
        let want: Vec<(&str, String, Option<String>)> = want
            .iter()
            .map(|(c, v, u)| (*c, v.to_string(), u.map(str::to_owned)))
            .collect();
        assert_eq!(read(sentence), want, "{sentence}");
    }
}

#[test]
fn a_scale_class_of_counted_things_is_not_a_figure() {
    check(&[
        // The count is the figure; 万亿级/千亿级 size what it counts.
        (
            "形成电子信息、装备制造 4个万亿级产业和 15 个千亿级产业集群。",
            &[("=", "4", Some("个")), ("=", "15", Some("个"))],
        ),
        ("培育百亿级贸易企业39家。", &[("=", "39", Some("家"))]),
        // A vague number of things (一批, 更多) has no figure at all.
        ("重点招引一批投资100亿元级、50亿元级制造业项目。", &[]),
        ("推动更多企业迈向千亿级、百亿级营收行列。", &[]),
        // A scale that is the goal itself stays a figure.
        ("推动产业规模迈上万亿级台阶。", &[(">=", "1000000000000", Some("元"))]),
    ]);
}

#[test]
fn a_streak_is_not_a_figure() {
    check(&[
        ("粮食种植面积、产量连续6年“双增长”。", &[]),
        (
            "连续 14 年获评最具吸引力城市，新增乡村140个。",
            &[("=", "140", Some("个"))],
        ),
    ]);
}

#[test]
fn chao_before_a_count_is_a_floor_even_after_a_build_verb() {
    check(&[
        (
            "累计培育国家专精特新“小巨人”企业超 1500 家、国家制造业单项冠军企业超 100 家。",
            &[(">=", "1500", Some("家")), (">=", "100", Some("家"))],
        ),
        ("新建公办幼儿园 17 处。", &[("=", "17", Some("处"))]),
    ]);
}

#[test]
fn zheng_chuang_reads_like_li_zheng() {
    check(&[("争创省级以上创新平台 10 个。", &[(">=", "10", Some("个"))])]);
}

#[test]
fn latin_units_touching_the_number() {
    check(&[
        ("集装箱吞吐量达到600万TEU。", &[(">=", "6000000", Some("TEU"))]),
        ("到 2030 年，算力规模达 70EFLOPS。", &[(">=", "70", Some("EFLOPS"))]),
        // A letter that is no unit makes a code (5G, M8).
        ("建设5G基站。", &[]),
    ]);
}

/// (indicator, comparator) of every relative target read from `sentence`.
fn relative(sentence: &str) -> Vec<(String, &'static str)> {
    let c = Compact::new(sentence);
    lantu_extract::prose::read_relative(&c.chars, 0, c.chars.len())
        .into_iter()
        .map(|r| (r.indicator, r.comparator.as_str()))
        .collect()
}

#[test]
fn keeping_pace_names_each_item() {
    assert_eq!(
        relative("居民收入增长和经济增长同步、劳动报酬提高和劳动生产率提高同步，城乡收入差距进一步缩小。"),
        vec![
            ("居民收入增长".to_owned(), "approx"),
            ("劳动报酬提高".to_owned(), "approx"),
        ]
    );
    assert_eq!(
        relative("坚持居民收入增长和经济增长基本同步。"),
        vec![("居民收入增长".to_owned(), "approx")]
    );
}

#[test]
fn carrying_out_the_plan_sets_no_quota() {
    assert!(relative("制定本规划涉及本地区、本部门的主要目标任务实施方案。").is_empty());
    assert!(relative("合理设置年度落实目标任务，做好综合平衡。").is_empty());
    assert_eq!(
        relative("到2025年，单位GDP能源消耗降低完成上级下达的节能减排任务。").len(),
        1
    );
}

#[test]
fn clearing_to_zero_is_a_goal_of_zero() {
    check(&[
        ("高风险金融机构保持动态清零。", &[("=", "0", None)]),
        (
            "推动农村危房改造“动态清零”，打造一批现代宜居农房范例。",
            &[("=", "0", None)],
        ),
        ("持续巩固黑臭水体治理成效，实现动态清零。", &[("=", "0", None)]),
        // A measure named 清零 and a count cleared are no zero goal.
        ("严格落实外资准入限制“清零”举措。", &[]),
        ("完成拆迁清零 3962 处。", &[("=", "3962", Some("处"))]),
    ]);
    let c = Compact::new("持续巩固黑臭水体治理成效，实现动态清零。");
    let r = read_sentence(&c.chars, 0, c.chars.len());
    assert!(r[0].indicator.contains("黑臭水体"), "{}", r[0].indicator);
}

#[test]
fn names_a_person_would_write() {
    use lantu_extract::prose::tidy_name;
    let cases = [
        ("瞪羚”企业", "瞪羚企业"),
        ("“瞪羚”企业", "“瞪羚”企业"),
        ("国际会议协会成员单位各", "国际会议协会成员单位"),
        ("空气质量优良天数比率≥", "空气质量优良天数比率"),
        ("城镇新增就业人数（万人）", "城镇新增就业人数"),
        ("引进高层次人才(团队", "引进高层次人才团队"),
        ("细颗粒物（PM2.5）年均浓度", "细颗粒物（PM2.5）年均浓度"),
        ("执业（助理）医师数", "执业（助理）医师数"),
    ];
    for (raw, want) in cases {
        assert_eq!(tidy_name(raw), want, "{raw}");
    }
}
