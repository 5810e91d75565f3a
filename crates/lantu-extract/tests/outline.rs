//! Outline of plan texts: the bundled plan, and synthetic texts in the styles
//! of other plans.

use std::collections::HashSet;

use lantu_extract::outline::{outline, FlatNode, Outline};
use lantu_extract::text::CharIndex;
use lantu_extract::{NodeLevel, OutlineNode};

const PLAN: &str = include_str!("../../../data/plans/jinnan-14th-five-year-plan.txt");

fn build(text: &str) -> Outline {
    let idx = CharIndex::new(text);
    let o = outline(text, &idx);
    check_invariants(text, &idx, &o);
    o
}

fn of_level(o: &Outline, level: NodeLevel) -> Vec<&FlatNode> {
    o.nodes.iter().filter(|n| n.level == level).collect()
}

fn titles(o: &Outline, level: NodeLevel) -> Vec<&str> {
    of_level(o, level).into_iter().map(|n| n.title.as_str()).collect()
}

fn chars(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end - start).collect()
}

/// What must hold for any text: ids unique, headings inside bodies, children
/// inside parents, tree and flat list agree, spans are the headings.
fn check_invariants(text: &str, idx: &CharIndex, o: &Outline) {
    let mut ids = HashSet::new();
    for (i, n) in o.nodes.iter().enumerate() {
        assert!(ids.insert(n.id.as_str()), "duplicate id {}", n.id);
        assert!(n.heading.start < n.heading.end, "empty heading {n:?}");
        assert!(n.body.start == n.heading.start && n.heading.end <= n.body.end, "{n:?}");
        assert!(n.body.end <= text.len());
        assert!(text.is_char_boundary(n.heading.end) && text.is_char_boundary(n.body.end));
        if let Some(p) = n.parent {
            assert!(p < i, "parent after child");
            let p = &o.nodes[p];
            assert!(
                p.body.start <= n.body.start && n.body.end <= p.body.end,
                "{n:?} outside {p:?}"
            );
            assert!(p.level < n.level || p.level == NodeLevel::Section, "{p:?} over {n:?}");
        }
        if i > 0 {
            assert!(o.nodes[i - 1].heading.start < n.heading.start, "not in document order");
        }
        assert_eq!(o.innermost(n.heading.start).map(|m| &m.id), Some(&n.id));
        for r in o.toc() {
            assert!(
                n.heading.end <= r.start || r.end <= n.heading.start,
                "{n:?} in toc {r:?}"
            );
        }
    }
    let mut seen = 0;
    fn walk(text: &str, idx: &CharIndex, o: &Outline, nodes: &[OutlineNode], parent: Option<usize>, seen: &mut usize) {
        for node in nodes {
            let flat = &o.nodes[*seen];
            assert_eq!(flat.id, node.id);
            assert_eq!(flat.parent, parent);
            assert_eq!(
                (flat.level, flat.number, &flat.title),
                (node.level, node.number, &node.title)
            );
            assert_eq!(node.span, idx.span(text, flat.heading.clone()));
            assert_eq!(chars(text, node.span.start, node.span.end), &text[flat.heading.clone()]);
            let me = *seen;
            *seen += 1;
            walk(text, idx, o, &node.children, Some(me), seen);
        }
    }
    walk(text, idx, o, &o.roots, None, &mut seen);
    assert_eq!(seen, o.nodes.len(), "tree and flat list differ");
}

// ---------------------------------------------------------------- the plan

#[test]
fn plan_has_ten_chapters_in_order() {
    let o = build(PLAN);
    let chapters = of_level(&o, NodeLevel::Chapter);
    assert_eq!(chapters.len(), 10);
    let numbers: Vec<_> = chapters.iter().map(|c| c.number).collect();
    assert_eq!(numbers, (1..=10).map(Some).collect::<Vec<_>>());
    let ids: Vec<_> = chapters.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9", "c10"]);
    assert_eq!(chapters[0].title, "夯实高质量发展基础,顺应未来变化形势");
    assert_eq!(chapters[9].title, "推进治理体系现代化,着力建设平安津南");
    assert!(of_level(&o, NodeLevel::Part).is_empty());
    assert!(of_level(&o, NodeLevel::Box).is_empty(), "the plan has no 专栏");
    assert!(o.toc().is_empty(), "the plan has no table of contents");
}

#[test]
fn plan_sections_per_chapter() {
    // Counted from the text: lines starting with 第…节 between chapters.
    let o = build(PLAN);
    let per_chapter: Vec<usize> = o
        .roots
        .iter()
        .map(|c| c.children.iter().filter(|s| s.level == NodeLevel::Section).count())
        .collect();
    assert_eq!(per_chapter, [3, 3, 4, 4, 6, 3, 4, 3, 5, 4]);
    assert_eq!(of_level(&o, NodeLevel::Section).len(), 39);
    let c5: Vec<_> = o.roots[4].children.iter().map(|s| (s.id.as_str(), s.number)).collect();
    assert_eq!(c5[5], ("c5.s6", Some(6)));
    assert_eq!(o.get("c1.s3").unwrap().title, "二〇三五年远景目标");
}

#[test]
fn plan_wrapped_chapter_title_is_joined() {
    let o = build(PLAN);
    let c2 = o.get("c2").unwrap();
    assert_eq!(c2.title, "落实“三绿色一生态”目标思路,开启全面建设社会主义现代化新津南");
    let heading = &PLAN[c2.heading.clone()];
    assert!(heading.starts_with("第二章") && heading.ends_with("新津南") && heading.contains('\n'));
    // The continuation line is not taken for anything else.
    assert_eq!(o.get("c2.s1").unwrap().title, "指导思想");
}

#[test]
fn plan_items() {
    let o = build(PLAN);
    let items = titles(&o, NodeLevel::Item);
    assert!((120..=170).contains(&items.len()), "{} items", items.len());
    for want in [
        "推进生产绿色化",
        "坚持系统观念",
        "坚持党的全面领导",
        "完善创业带动就业",
        "加强规划引领",
    ] {
        assert!(items.contains(&want), "missing item {want}");
    }
    // A dash-led principle keeps its dash in the heading, not in the title.
    let principle = o.nodes.iter().find(|n| n.title == "坚持系统观念").unwrap();
    assert_eq!(&PLAN[principle.heading.clone()], "——坚持系统观念。");
    assert_eq!(o.nodes[principle.parent.unwrap()].title, "基本原则");
    // Plain paragraphs are not items.
    assert!(!items.iter().any(|t| t.starts_with("高举中国特色社会主义伟大旗帜")));
    assert!(items
        .iter()
        .all(|t| !t.is_empty() && !t.ends_with('。') && t.chars().count() <= 40));
    // Items sit under sections.
    for n in of_level(&o, NodeLevel::Item) {
        let p = &o.nodes[n.parent.unwrap()];
        assert_eq!(p.level, NodeLevel::Section, "{n:?}");
        assert!(n.id.starts_with(&format!("{}.i", p.id)));
    }
    assert_eq!(o.get("c3.s2.i2").unwrap().title, "推进生产绿色化");
}

#[test]
fn plan_spans_are_the_headings() {
    let o = build(PLAN);
    let mut all = Vec::new();
    fn collect<'a>(nodes: &'a [OutlineNode], out: &mut Vec<&'a OutlineNode>) {
        for n in nodes {
            out.push(n);
            collect(&n.children, out);
        }
    }
    collect(&o.roots, &mut all);
    for n in all {
        let heading = chars(PLAN, n.span.start, n.span.end);
        match n.level {
            NodeLevel::Chapter => assert!(heading.starts_with("第") && heading.contains('章')),
            NodeLevel::Section => assert!(heading.starts_with("第") && heading.contains('节')),
            NodeLevel::Item => assert!(heading.ends_with('。') && heading.contains(&n.title)),
            _ => {}
        }
        if n.level != NodeLevel::Item {
            assert!(
                heading.ends_with(n.title.chars().last().unwrap()),
                "{heading} / {}",
                n.title
            );
        }
    }
    let s = o.get("c3.s1").unwrap();
    assert_eq!(&PLAN[s.heading.clone()], "第一节 以绿为脉,高标准推进绿色生态屏障建设");
}

#[test]
fn plan_innermost_and_path() {
    let o = build(PLAN);
    // Inside the paragraph of an item.
    let at = PLAN.find("支持华誉清洁能源装备").unwrap();
    let path: Vec<_> = o.path(at).map(|n| n.id.as_str()).collect();
    assert_eq!(path, ["c3.s2.i2", "c3.s2", "c3"]);
    assert_eq!(o.innermost(at).unwrap().title, "推进生产绿色化");
    // A section whose paragraph opens no item.
    let at = PLAN.find("高举中国特色社会主义伟大旗帜").unwrap();
    assert_eq!(o.innermost(at).unwrap().id, "c2.s1");
    // The lead paragraph of a chapter, before its first section.
    let at = PLAN.find("厚植生态底色").unwrap();
    assert_eq!(o.innermost(at).unwrap().id, "c3");
    // The title lines and the preamble belong to no node.
    assert!(o.innermost(0).is_none());
    assert!(o.innermost(PLAN.find("根据《中共津南区委").unwrap()).is_none());
    // The end of the text is still in the last item.
    let last = o.innermost(PLAN.len() - 1).unwrap();
    assert_eq!(
        (last.level, last.title.as_str()),
        (NodeLevel::Item, "完善规划实施评估与监管考核机制")
    );
    assert_eq!(o.path(PLAN.len() - 1).count(), 3);
    assert!(o.innermost(PLAN.len()).is_none());
}

// --------------------------------------------------------- other styles

#[test]
fn toc_with_page_numbers_yields_nothing() {
    let text = "\
某市国民经济和社会发展第十四个五年规划纲要
目  录
第一章 总体要求……………………………………3
第一节 发展基础 5
第二节 指导思想 ....... 7
第二章 推动高质量发展,
建设现代化经济体系………………9
专栏 1 主要指标……………………4
第三章 保障措施……12
第一章 总体要求
第一节 发展基础
“十三五”时期，全市经济持续健康发展，综合实力显著增强，人民生活水平不断提高，社会事业全面进步。
第二节 指导思想
坚持新发展理念。 坚持以人民为中心的发展思想。
第二章 推动高质量发展,
建设现代化经济体系
第一节 壮大实体经济
做强先进制造业。 推进制造业高端化、智能化、绿色化发展。
第三章 保障措施
加强组织领导。 健全规划实施机制。
";
    let o = build(text);
    assert_eq!(o.toc().len(), 1);
    let toc = &text[o.toc()[0].clone()];
    assert!(
        toc.starts_with("目  录") && toc.ends_with("第三章 保障措施……12"),
        "{toc}"
    );
    let chapters = of_level(&o, NodeLevel::Chapter);
    assert_eq!(chapters.len(), 3);
    assert!(chapters.iter().all(|c| c.heading.start > o.toc()[0].end));
    assert_eq!(chapters[1].title, "推动高质量发展,建设现代化经济体系");
    assert!(of_level(&o, NodeLevel::Box).is_empty());
    assert_eq!(titles(&o, NodeLevel::Section), ["发展基础", "指导思想", "壮大实体经济"]);
    assert_eq!(
        titles(&o, NodeLevel::Item),
        ["坚持新发展理念", "做强先进制造业", "加强组织领导"]
    );
    assert_eq!(o.get("c3.i1").unwrap().title, "加强组织领导");
    assert!(o.innermost(text.find("发展基础 5").unwrap()).is_none());
}

#[test]
fn toc_with_page_numbers_on_chapters_only() {
    let text = "\
目 录
第一章 发展环境 1
第一节 发展基础
第二节 面临形势
第三节 远景目标
第二章 总体要求 6
第一节 指导思想
第一章 发展环境
第一节 发展基础
全市经济实力迈上新台阶，地区生产总值年均增长百分之六以上，人民生活持续改善。
第二章 总体要求
";
    let o = build(text);
    assert_eq!(o.toc().len(), 1);
    assert!(text[o.toc()[0].clone()].ends_with("第二章 总体要求 6\n第一节 指导思想"));
    assert_eq!(titles(&o, NodeLevel::Chapter), ["发展环境", "总体要求"]);
    assert_eq!(titles(&o, NodeLevel::Section), ["发展基础"]);
}

#[test]
fn toc_of_bare_headings_is_recognised() {
    let text = "\
目录
第一章 发展环境
第一节 发展基础
第二节 面临形势
第二章 总体要求
第一节 指导思想
第一章 发展环境
第一节 发展基础
全市经济实力迈上新台阶，地区生产总值年均增长百分之六以上，人民生活持续改善。
第二节 面临形势
当前和今后一个时期，我国发展仍然处于重要战略机遇期，但机遇和挑战都有新的发展变化。
第二章 总体要求
第一节 指导思想
坚持稳中求进工作总基调。 以推动高质量发展为主题。
";
    let o = build(text);
    assert_eq!(o.toc().len(), 1);
    assert!(text[o.toc()[0].clone()].ends_with("第一节 指导思想"));
    assert_eq!(titles(&o, NodeLevel::Chapter), ["发展环境", "总体要求"]);
    assert_eq!(of_level(&o, NodeLevel::Section).len(), 3);
    assert_eq!(o.get("c2.s1.i1").unwrap().title, "坚持稳中求进工作总基调");
}

#[test]
fn parts_nest_chapters_and_sections() {
    let text = "\
第一篇 开启全面建设社会主义现代化新征程
第一章 发展环境
第一节 发展基础
综合实力持续增强。 经济总量迈上新台阶。
第二节 面临形势
第二章 指导方针
第二篇 坚持创新驱动发展
第三章 强化科技创新
第一节 建设创新平台
建设重大科技基础设施。 布局一批实验室。
";
    let o = build(text);
    let ids: Vec<_> = o.nodes.iter().map(|n| (n.id.as_str(), n.level, n.number)).collect();
    use NodeLevel::*;
    assert_eq!(
        ids,
        [
            ("p1", Part, Some(1)),
            ("p1.c1", Chapter, Some(1)),
            ("p1.c1.s1", Section, Some(1)),
            ("p1.c1.s1.i1", Item, None),
            ("p1.c1.s2", Section, Some(2)),
            ("p1.c2", Chapter, Some(2)),
            ("p2", Part, Some(2)),
            ("p2.c3", Chapter, Some(3)),
            ("p2.c3.s1", Section, Some(1)),
            ("p2.c3.s1.i1", Item, None),
        ]
    );
    assert_eq!(o.roots.len(), 2);
    assert_eq!(o.roots[0].children.len(), 2);
    assert_eq!(
        o.roots[1].children[0].children[0].children[0].title,
        "建设重大科技基础设施"
    );
    // Part 1's body ends where part 2 begins.
    assert_eq!(o.get("p1").unwrap().body.end, text.find("第二篇").unwrap());
    let path: Vec<_> = o.path(text.find("布局一批").unwrap()).map(|n| n.id.as_str()).collect();
    assert_eq!(path, ["p2.c3.s1.i1", "p2.c3.s1", "p2.c3", "p2"]);
}

#[test]
fn numbers_with_stray_spaces_and_tens() {
    let text = "第 三 章 标题甲\n第十二章 标题乙\n第二十一章  标题丙 \n第 1 2 节 标题丁\n第４章 标题戊\n";
    let o = build(text);
    let got: Vec<_> = o.nodes.iter().map(|n| (n.number, n.title.as_str())).collect();
    assert_eq!(
        got,
        [
            (Some(3), "标题甲"),
            (Some(12), "标题乙"),
            (Some(21), "标题丙"),
            (Some(12), "标题丁"),
            (Some(4), "标题戊")
        ]
    );
    assert_eq!(o.get("c3.s1").unwrap().title, "标题丁");
}

#[test]
fn heading_title_on_the_next_line() {
    let text = "第一章\n总体要求\n第一节\n\n指导思想\n坚持党的全面领导。 坚持和完善党领导经济社会发展的体制机制。\n";
    let o = build(text);
    assert_eq!(titles(&o, NodeLevel::Chapter), ["总体要求"]);
    assert_eq!(titles(&o, NodeLevel::Section), ["指导思想"]);
    assert_eq!(titles(&o, NodeLevel::Item), ["坚持党的全面领导"]);
}

#[test]
fn boxes_with_titles_and_ends() {
    let text = "\
第三章 建设现代产业体系
第一节 壮大先进制造业
专栏 1 “十四五”时期经济社会发展主要指标
指标 2020年 2025年 属性
地区生产总值增长(%) 6.0 6.5 预期性
单位GDP能耗降低(%) — 〔15〕 约束性
重点任务：实施一批技术改造项目，推进传统产业数字化、网络化、智能化改造，培育一批智能工厂和数字化车间。
推进产业基础高级化。 实施产业基础再造工程，加快补齐基础零部件、基础材料、基础工艺等短板。
专栏2-3：重大工程
1. 智能制造工程。 建设一批智能工厂，推广应用工业机器人。
专栏一
重点项目清单
01 新一代人工智能
前沿基础理论突破，专用芯片研发，深度学习框架等开源算法平台构建，学习推理与决策、图像图形、语音视频、自然语言识别处理等领域创新。
大力发展战略性新兴产业，加快培育新一代信息技术、生物技术、新能源、新材料、高端装备等产业，推动产业集群发展壮大，构建各具特色、优势互补、结构合理的战略性新兴产业增长引擎。到二〇二五年，战略性新兴产业增加值占比明显提高。
第二节 发展现代服务业
";
    let o = build(text);
    let boxes = of_level(&o, NodeLevel::Box);
    let got: Vec<_> = boxes
        .iter()
        .map(|b| (b.id.as_str(), b.number, b.title.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("c1.b1", Some(1), "“十四五”时期经济社会发展主要指标"),
            ("c1.b2", Some(3), "重大工程"),
            ("c1.b3", Some(1), "重点项目清单")
        ]
    );
    // Boxes sit under the section they appear in.
    assert!(boxes.iter().all(|b| o.nodes[b.parent.unwrap()].id == "c1.s1"));
    // Rows of the table are in the box; the item after it ends it.
    assert_eq!(o.innermost(text.find("地区生产总值增长").unwrap()).unwrap().id, "c1.b1");
    assert_eq!(o.innermost(text.find("重点任务").unwrap()).unwrap().id, "c1.b1");
    assert_eq!(
        o.innermost(text.find("实施产业基础再造").unwrap()).unwrap().title,
        "推进产业基础高级化"
    );
    // Entries of a box are not task items.
    assert_eq!(titles(&o, NodeLevel::Item), ["推进产业基础高级化"]);
    assert_eq!(
        o.innermost(text.find("推广应用工业机器人").unwrap()).unwrap().id,
        "c1.b2"
    );
    // A one-sentence entry of a box, however long, stays in it.
    assert_eq!(o.innermost(text.find("前沿基础理论突破").unwrap()).unwrap().id, "c1.b3");
    // Running prose ends the box and belongs to the section again.
    assert_eq!(
        o.innermost(text.find("大力发展战略性新兴产业").unwrap()).unwrap().id,
        "c1.s1"
    );
    assert!(o.get("c1.b3").unwrap().body.end <= text.find("大力发展战略性新兴产业").unwrap());
    assert_eq!(titles(&o, NodeLevel::Section), ["壮大先进制造业", "发展现代服务业"]);
}

#[test]
fn enumerated_headings_without_chapters() {
    let text = "\
某县国民经济和社会发展第十四个五年规划纲要
一、发展基础
“十三五”时期，全县上下团结一心，经济社会发展取得显著成就，为开启新征程奠定了坚实基础。
二、主要任务
（一）加快产业转型升级
(一)加强规划引领。强化发展规划的统领作用。
(二)完善政策体系。 健全配套政策。
（二） 推进乡村振兴
1. 发展现代农业。 提高粮食综合生产能力。
三、保障措施
";
    let o = build(text);
    assert_eq!(titles(&o, NodeLevel::Chapter), ["发展基础", "主要任务", "保障措施"]);
    assert_eq!(
        of_level(&o, NodeLevel::Chapter)
            .iter()
            .map(|c| c.number)
            .collect::<Vec<_>>(),
        [Some(1), Some(2), Some(3)]
    );
    assert_eq!(titles(&o, NodeLevel::Section), ["加快产业转型升级", "推进乡村振兴"]);
    assert_eq!(o.get("c2.s2").unwrap().number, Some(2));
    let items: Vec<_> = of_level(&o, NodeLevel::Item)
        .iter()
        .map(|n| (n.id.as_str(), n.number, n.title.as_str()))
        .collect();
    assert_eq!(
        items,
        [
            ("c2.s1.i1", Some(1), "加强规划引领"),
            ("c2.s1.i2", Some(2), "完善政策体系"),
            ("c2.s2.i1", Some(1), "发展现代农业"),
        ]
    );
}

#[test]
fn enumerated_headings_are_ignored_when_chapters_and_sections_exist() {
    let text = "第一章 总体要求\n第一节 指导思想\n一、重点领域\n（一）基础设施\n加强规划引领。 强化统领作用。\n";
    let o = build(text);
    assert_eq!(o.nodes.len(), 3);
    assert_eq!(o.get("c1.s1.i1").unwrap().title, "加强规划引领");
}

#[test]
fn chapters_without_sections_take_enumerated_sections() {
    let text = "第一章 总体要求\n一、指导思想\n坚持党的领导。 全面加强党的领导。\n二、基本原则\n第二章 保障措施\n";
    let o = build(text);
    assert_eq!(titles(&o, NodeLevel::Section), ["指导思想", "基本原则"]);
    assert_eq!(o.get("c1.s1.i1").unwrap().title, "坚持党的领导");
    assert_eq!(o.get("c2").unwrap().number, Some(2));
}

#[test]
fn prose_and_title_lines_are_not_nodes() {
    let text = "\
某市国民经济和社会发展
第十四个五年规划和二〇三五年远景目标纲要
“十四五”时期是全面建设社会主义现代化国家新征程的第一个五年。 本纲要主要阐明战略意图。
第一章 发展环境
第一章规定的各项任务要全面落实，各部门要按照职责分工制定具体实施方案，确保各项任务落到实处，取得实效。
我们必须坚持以人民为中心的发展思想，坚定不移贯彻新发展理念，加快构建新发展格局，推动高质量发展取得新突破。
";
    let o = build(text);
    assert_eq!(o.nodes.len(), 1, "{:?}", o.nodes);
    assert_eq!(o.innermost(text.find("我们必须").unwrap()).unwrap().id, "c1");
}

#[test]
fn empty_and_blank_texts() {
    for text in ["", "\n", "  \n\u{3000}\r\n", "\u{feff}"] {
        let o = build(text);
        assert!(o.is_empty() && o.roots.is_empty() && o.toc().is_empty());
        assert!(o.innermost(0).is_none());
        assert_eq!(o.path(0).count(), 0);
    }
}

#[test]
fn windows_line_endings() {
    let text = "第一章 总体要求\r\n第一节 指导思想\r\n坚持党的领导。 全面加强。\r\n";
    let o = build(text);
    assert_eq!(titles(&o, NodeLevel::Chapter), ["总体要求"]);
    assert_eq!(&text[o.get("c1.s1").unwrap().heading.clone()], "第一节 指导思想");
    assert_eq!(o.nodes.len(), 3);
}

#[test]
fn random_garbage_does_not_panic() {
    const PIECES: &[&str] = &[
        "第",
        "一",
        "二",
        "十",
        "百",
        "〇",
        "零",
        "3",
        "１",
        " ",
        "\u{3000}",
        "章",
        "节",
        "篇",
        "部分",
        "专栏",
        "、",
        "（",
        "）",
        "(",
        ")",
        "。",
        "，",
        ",",
        "：",
        "——",
        "—",
        "…",
        "...",
        "·",
        "\n",
        "\n",
        "\r\n",
        "目录",
        "推进",
        "绿色化",
        "a",
        "é",
        "\u{feff}",
        "①",
        "●",
        "-",
        "2-3",
        "”",
        "“",
    ];
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for _ in 0..3000 {
        let len = (next() % 120) as usize;
        let text: String = (0..len)
            .map(|_| PIECES[(next() % PIECES.len() as u64) as usize])
            .collect();
        let o = build(&text);
        for b in (0..=text.len()).filter(|&b| text.is_char_boundary(b)) {
            if let Some(n) = o.innermost(b) {
                assert!(n.body.contains(&b));
            }
        }
    }
}

#[test]
fn plan_is_fast() {
    // Release builds take well under 0.5 ms; this only guards against a
    // pathological slowdown in any build.
    let idx = CharIndex::new(PLAN);
    let t = std::time::Instant::now();
    for _ in 0..10 {
        std::hint::black_box(outline(PLAN, &idx));
    }
    let per = t.elapsed() / 10;
    assert!(per.as_millis() < 50, "{per:?} per outline");
}
