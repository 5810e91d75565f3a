//! Indicator tables in the layouts text extraction produces: each case is a
//! table as text and the rows expected from it, side by side.

use lantu_core::TargetKind;
use lantu_extract::table::read;

/// (indicator, comparator, target value or "-", unit, kind)
type Expected = (
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
    TargetKind,
);

fn check(table: &str, expected: &[Expected]) {
    let t = read(table, 2030);
    let got: Vec<(String, &str, String, Option<String>, TargetKind)> = t
        .rows
        .iter()
        .map(|r| {
            (
                r.indicator.clone(),
                r.comparator.as_str(),
                r.target.map_or("-".to_owned(), |v| v.normalize().to_string()),
                r.unit.clone(),
                r.kind,
            )
        })
        .collect();
    let want: Vec<(String, &str, String, Option<String>, TargetKind)> = expected
        .iter()
        .map(|(i, c, v, u, k)| (i.to_string(), *c, v.to_string(), u.map(str::to_owned), *k))
        .collect();
    assert_eq!(got, want, "table:\n{table}");
}

use TargetKind::{Numeric, Relative};

#[test]
fn serial_and_bracketed_unit_single_spaces() {
    check(
        "序号 指 标 2030 年目标 属性\n一、经济强（12 项）\n1 地区生产总值年均增长（%） 5 左右 预期性\n5 规上工业增加值率（%） 提高 1 个百分点以上 预期性\n12 粮食综合生产能力（亿斤） ＞19 约束性\n16 3 岁以下婴幼儿入托率（%） 25 预期性\n18 居民重大慢病过早死亡率（%） ＜6 预期性\n25 森林覆盖率（%） ≥7.64 约束性\n",
        &[
            ("地区生产总值年均增长", "approx", "5", Some("%"), Numeric),
            ("规上工业增加值率", ">=", "1", Some("个百分点"), Numeric),
            ("粮食综合生产能力", ">=", "1900000000", Some("斤"), Numeric),
            ("3岁以下婴幼儿入托率", ">=", "25", Some("%"), Numeric),
            ("居民重大慢病过早死亡率", "<=", "6", Some("%"), Numeric),
            ("森林覆盖率", ">=", "7.64", Some("%"), Numeric),
        ],
    );
}

#[test]
fn group_lines_are_not_rows() {
    let t = read(
        "序号 指标 2030年目标 属性\n一、经济强（12 项）\n1 森林覆盖率（%） 30 约束性\n二、百姓富（7 项）\n",
        2030,
    );
    assert_eq!(t.rows.len(), 1);
    // Every line of the table is marked, so prose skips the group lines.
    assert_eq!(t.lines.len(), 4);
}

#[test]
fn qualitative_cells_are_relative_targets() {
    check(
        "序号 指标 2030年目标 属性\n2 全员劳动生产率年均增长（%） 高于地区生产总值年均增长 预期性\n9 金融业增加值占地区生产总值比重（%） 稳中有升 预期性\n13 居民人均可支配收入年均增速（%） 与地区生产总值增长同步 预期性\n20 单位地区生产总值二氧化碳排放下降率（%） 完成省定目标 约束性\n23 细颗粒物（PM2.5）年均浓度（微克/立方米） 完成省定目标 约束性\n13 单位地区生产总值二氧化碳排放降低（%） 完成省定目标 约束性\n",
        &[
            ("全员劳动生产率年均增长", ">=", "-", None, Relative),
            ("金融业增加值占地区生产总值比重", ">=", "-", None, Relative),
            ("居民人均可支配收入年均增速", "approx", "-", None, Relative),
            ("单位地区生产总值二氧化碳排放下降率", ">=", "-", None, Relative),
            ("细颗粒物（PM2.5）年均浓度", "<=", "-", None, Relative),
            // A reduction of emissions is higher-is-better.
            ("单位地区生产总值二氧化碳排放降低", ">=", "-", None, Relative),
        ],
    );
}

#[test]
fn wide_columns_attribute_before_value_and_wrapped_rows() {
    let table = "分类    序号    指标    属性    2030年目标值\n经济强    1    地区生产总值（GDP）年均增长率（%）    预期性    5以上\n    2    制造业增加值占比（%）    预期性    基本稳定\n    5    全员劳动生产率（万元）    预期性    48\n百姓富    8    居民人均可支配收入增长    预期性    与经济增长\n保持同步\n    10    每千人口拥有医护\n人员数    执业（助理）医师数（人）    预期性    5\n            注册护士数（人）    预期性    5.5\n    24    生产安全事故    起数下降（%）    约束性    〔20〕\n            死亡人数下降（%）        〔16〕\n";
    check(
        table,
        &[
            ("地区生产总值（GDP）年均增长率", ">=", "5", Some("%"), Numeric),
            ("制造业增加值占比", "approx", "-", None, Relative),
            ("全员劳动生产率", ">=", "480000", Some("元"), Numeric),
            ("居民人均可支配收入增长", "approx", "-", None, Relative),
            (
                "每千人口拥有医护人员数执业（助理）医师数",
                ">=",
                "5",
                Some("人"),
                Numeric,
            ),
            ("注册护士数", ">=", "5.5", Some("人"), Numeric),
            ("生产安全事故起数下降", ">=", "20", Some("%"), Numeric),
            ("死亡人数下降", ">=", "16", Some("%"), Numeric),
        ],
    );
    let t = read(table, 2030);
    // A wrapped row quotes all its lines.
    let wrapped = &t.rows[3];
    assert_eq!(
        &table[wrapped.bytes.clone()],
        "百姓富    8    居民人均可支配收入增长    预期性    与经济增长\n保持同步"
    );
    assert_eq!(t.rows[0].category.as_deref(), Some("经济强"));
}

#[test]
fn completion_table_reports_the_last_column() {
    let t = read(
        "序号    指标    属性    规划目标    2025年\n1    地区生产总值（亿元）    预期性    20000以上    6.5%\n左右    19428.78，年均增速4.8%\n11    城镇调查失业率（%）    预期性    5        —\n12    人均预期寿命（岁）    预期性    ＞83.5        85\n25    生产安全事故起数和死亡人数下降（%）    约束性        〔＞15〕    分别下降〔53.3〕和〔44.2〕\n",
        2030,
    );
    let achieved: Vec<Vec<(String, Option<String>)>> = t
        .rows
        .iter()
        .map(|r| {
            r.achieved
                .iter()
                .map(|a| (a.value.normalize().to_string(), a.unit.clone()))
                .collect()
        })
        .collect();
    assert_eq!(
        achieved,
        vec![
            vec![
                ("1942878000000".to_owned(), Some("元".to_owned())),
                ("4.8".to_owned(), Some("%".to_owned()))
            ],
            vec![],
            vec![("85".to_owned(), Some("岁".to_owned()))],
            vec![
                ("53.3".to_owned(), Some("%".to_owned())),
                ("44.2".to_owned(), Some("%".to_owned()))
            ],
        ]
    );
    let names: Vec<&str> = t
        .rows
        .iter()
        .flat_map(|r| r.achieved.iter().map(|a| a.indicator.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            "地区生产总值",
            "地区生产总值年均增速",
            "人均预期寿命",
            "生产安全事故起数下降",
            "生产安全事故死亡人数下降",
        ]
    );
}
