//! The one translation table (界面文字): every label of every page, in
//! Simplified Chinese and English. Templates call `t("key")`; Rust code calls
//! [`t`]. Domain words with their own labels in the core (statuses, reasons,
//! report kinds, likelihoods) are taken from there, not repeated here.

/// The language of a page: Chinese by default, English by `?lang=en` or the
/// `lang` cookie. One type with the core's message table.
pub use lantu_core::messages::Lang;

/// (key, Chinese, English), sorted by key for the binary search in [`t`]
/// (a unit test keeps it sorted and unique).
static TABLE: &[(&str, &str, &str)] = &[
    ("account", "账户", "Account"),
    ("action", "操作", "Action"),
    ("add", "添加", "Add"),
    ("add_milestone", "添加年度计划", "Add a work-plan entry"),
    ("admin", "系统管理", "Administration"),
    ("admin_departments", "部门", "Departments"),
    ("admin_settings", "规划设置与容差", "Plan settings and tolerances"),
    ("admin_users", "用户与角色", "Users and roles"),
    ("ahead_ratio", "快于预期阈值（进度比）", "Ahead threshold (schedule ratio)"),
    ("all", "全部", "All"),
    ("api", "数据接口", "API"),
    ("api_token", "接口令牌", "API token"),
    ("api_token_hint", "用于 /api/v1/ 写入：请求头 Authorization: Bearer 令牌。令牌只显示一次；再次生成或修改密码后旧令牌失效。", "For writes to /api/v1/: header Authorization: Bearer TOKEN. The token is shown only once; a new token or a new password revokes the old one."),
    ("api_token_issue", "生成新令牌", "Issue a new token"),
    ("api_token_revoke", "撤销令牌", "Revoke the token"),
    ("app_name", "蓝图", "Lantu"),
    ("app_tagline", "规划实施监测评估系统", "Plan monitoring and evaluation"),
    ("approve", "审核通过", "Approve"),
    ("approved", "已审核", "Approved"),
    ("approx_tolerance", "“左右”目标容差", "Tolerance of approximate targets"),
    ("attribute", "属性", "Attribute"),
    ("attribute_binding", "约束性", "Binding"),
    ("attribute_expected", "预期性", "Expected"),
    ("back", "返回", "Back"),
    ("baseline", "基期值", "Baseline"),
    ("binding_first", "约束性指标", "Binding targets"),
    ("blueprint", "一张蓝图", "Blueprint"),
    ("category", "类别", "Category"),
    ("change_password", "修改密码", "Change password"),
    ("chapter", "章节", "Chapter"),
    ("chapters", "各章", "Chapters"),
    ("chart", "走势图", "Chart"),
    ("chart_baseline", "基期值", "Baseline"),
    ("chart_observed", "监测值", "Observed"),
    ("chart_projection", "趋势预测（90%区间）", "Projection (90% interval)"),
    ("chart_schedule", "时序进度路径", "Schedule path"),
    ("chart_target", "目标值", "Target"),
    ("co_departments", "配合部门", "Supporting departments"),
    ("code", "代码", "Code"),
    ("comment", "意见", "Comment"),
    ("comment_add", "发表意见", "Add a comment"),
    ("comment_hint", "第三方评估机构、规划部门和统计部门可发表评估意见；意见发表后不能修改或删除，并记入审计日志。", "Evaluators, the planning office and the statistics bureau may comment; a comment cannot be edited or deleted once posted, and it is written to the audit log."),
    ("comment_scope_plan", "规划总体", "The plan as a whole"),
    ("comments", "评估意见", "Evaluation comments"),
    ("completed_investment", "完成投资", "Invested so far"),
    ("correction", "更正", "Correction"),
    ("correction_reason", "更正原因", "Reason for the correction"),
    ("count", "个数", "Count"),
    ("csrf_refused", "表单已失效或缺少校验码，请刷新页面后重试。", "The form has expired or lacks its security token; reload the page and try again."),
    ("current_password", "当前密码", "Current password"),
    ("dashboard", "总览", "Dashboard"),
    ("data_entry", "数据填报", "Data entry"),
    ("data_source", "数据来源", "Data source"),
    ("deadline", "截止日期", "Deadline"),
    ("department", "责任部门", "Department"),
    ("departments", "部门", "Departments"),
    ("direction", "方向", "Direction"),
    ("direction_higher", "越大越好", "Higher is better"),
    ("direction_lower", "越小越好", "Lower is better"),
    ("display_name", "姓名", "Name"),
    ("done", "已完成", "Done"),
    ("download_template", "下载填报模板（xlsx）", "Download the form (xlsx)"),
    ("draft", "草稿", "Draft"),
    ("due", "待报送", "Due"),
    ("elapsed", "时间进度", "Time elapsed"),
    ("english", "English", "English"),
    ("entry_hint", "填写本部门指标的年度数值，保存为草稿；核对无误后提交统计部门审核。已提交或已审核的数据不可修改。", "Enter your department's annual figures and save them as drafts; when they are right, submit them for review. Submitted or approved figures are locked."),
    ("entry_saved", "已保存", "Saved"),
    ("error", "错误", "Error"),
    ("error_forbidden", "您没有权限访问此页面或数据。", "You are not allowed to see or change this."),
    ("error_not_found", "未找到所请求的页面或数据。", "The page or record was not found."),
    ("error_server", "服务器内部错误，请稍后重试或联系管理员。", "Something went wrong on the server; try again later or tell the administrator."),
    ("evaluation_year", "评估年度", "Evaluation year"),
    ("explanation", "说明", "Comment"),
    ("figures", "监测数据", "Figures"),
    ("filter", "筛选", "Filter"),
    ("filters_clear", "清除筛选", "Clear filters"),
    ("final", "总结评估", "Final evaluation"),
    ("frequency", "报送频率", "Frequency"),
    ("frequency_annual", "年度", "Annual"),
    ("frequency_monthly", "月度", "Monthly"),
    ("frequency_quarterly", "季度", "Quarterly"),
    ("home", "首页", "Home"),
    ("indicator", "指标", "Indicator"),
    ("indicators", "指标", "Indicators"),
    ("investment", "投资", "Investment"),
    ("items", "项", "items"),
    ("latest", "最新值", "Latest"),
    ("lead_departments", "牵头部门", "Lead departments"),
    ("likelihood", "实现可能性", "Likelihood"),
    ("login", "登录", "Log in"),
    ("login_failed", "用户名或密码错误。", "Wrong user name or password."),
    ("login_slowed", "连续登录失败次数过多，请稍后再试。", "Too many failed logins in a row; wait a moment and try again."),
    ("logout", "退出", "Log out"),
    ("measure", "测度", "Measure"),
    ("measure_annual_growth", "年均增长", "Average annual growth"),
    ("measure_cumulative", "累计", "Cumulative"),
    ("measure_level", "水平值", "Level"),
    ("measure_reduction", "累计下降", "Cumulative reduction"),
    ("milestone", "年度工作计划", "Work-plan milestone"),
    ("new_password", "新密码", "New password"),
    ("next", "下一个", "Next"),
    ("no_binding", "本规划未标注约束性指标；下表为各章指标评估结论。", "The plan marks no binding targets; below, the statuses by chapter."),
    ("no_comments", "暂无评估意见。", "No comments yet."),
    ("no_data_yet", "暂无数据", "No data yet"),
    ("no_indicators_here", "本章无量化指标", "No quantified target in this chapter"),
    ("no_results", "没有符合条件的结果。", "Nothing matches."),
    ("not_started", "未开始", "Not started"),
    ("note", "备注", "Note"),
    ("nothing_to_review", "没有待审核的数据。", "Nothing is waiting for review."),
    ("of_plan", "规划", "Plan"),
    ("on_schedule", "按计划推进", "On schedule"),
    ("on_track_ratio", "基本符合预期阈值（进度比）", "On-track threshold (schedule ratio)"),
    ("open_api", "接口说明（OpenAPI）", "API description (OpenAPI)"),
    ("outline", "规划纲要", "Plan outline"),
    ("overdue", "逾期", "Overdue"),
    ("password", "密码", "Password"),
    ("period", "期间", "Period"),
    ("plan_period", "规划期", "Plan period"),
    ("plan_text", "规划原文", "Plan text"),
    ("planned_investment", "计划投资", "Planned investment"),
    ("plans", "规划", "Plans"),
    ("previous", "上一个", "Previous"),
    ("previous_value", "上期值", "Previous period"),
    ("progress", "完成进度", "Progress"),
    ("projection", "趋势预测", "Projection"),
    ("projects", "重大项目", "Key projects"),
    ("propose_correction", "提出更正", "Propose a correction"),
    ("ps_completed", "建成", "Completed"),
    ("ps_planned", "计划", "Planned"),
    ("ps_suspended", "暂缓", "Suspended"),
    ("ps_under_construction", "在建", "Under construction"),
    ("public_notice", "本页面仅公开已发布的数据。", "This page shows published figures only."),
    ("public_portal", "公众查询", "Public portal"),
    ("publish", "发布", "Publish"),
    ("publish_all", "发布全部已审核数据", "Publish all approved figures"),
    ("published", "已发布", "Published"),
    ("ratio", "进度比", "Schedule ratio"),
    ("reason", "判断依据", "Reasoning"),
    ("record_progress", "登记进展", "Record progress"),
    ("reminders", "催报提醒", "Reminders"),
    ("reminders_hint", "各部门本年度应报送的数据：未提交的为待报送，超过截止日期的为逾期。", "What each department has to report for the year: unsubmitted figures are due, and overdue past the deadline."),
    ("report_download", "下载评估报告", "Download the report"),
    ("return", "退回", "Return"),
    ("return_needs_comment", "退回时请填写意见。", "Write a comment when returning figures."),
    ("returned", "已退回", "Returned"),
    ("review", "数据审核", "Review"),
    ("revisions", "修订次数", "Revisions"),
    ("role", "角色", "Role"),
    ("role_administrator", "系统管理员", "Administrator"),
    ("role_evaluator", "第三方评估", "Evaluator"),
    ("role_planner", "规划部门", "Planner"),
    ("role_public", "公众", "Public"),
    ("role_reporter", "部门填报员", "Department reporter"),
    ("role_reviewer", "统计审核", "Reviewer"),
    ("rule_default", "默认", "default"),
    ("rule_integer", "只填整数", "Whole numbers only"),
    ("rule_max", "最大值", "Highest value"),
    ("rule_max_change_percent", "与上期相比最大变化（%）", "Largest change from the previous period (%)"),
    ("rule_max_change_points", "与上期相比最大变化（百分点）", "Largest change from the previous period (points)"),
    ("rule_min", "最小值", "Lowest value"),
    ("rules", "校验规则", "Validation rules"),
    ("rules_in_force", "生效规则", "Rules in force"),
    ("sample_data_notice", "本页数据为演示用的示意性数据，并非正式发布的统计数据。", "The figures on this page are illustrative, not published statistics."),
    ("save", "保存", "Save"),
    ("save_draft", "保存草稿", "Save drafts"),
    ("save_rules", "保存规则", "Save rules"),
    ("search", "搜索", "Search"),
    ("search_placeholder", "搜索指标、任务、项目、规划原文", "Search indicators, tasks, projects, plan text"),
    ("section", "节", "Section"),
    ("server_busy", "服务器繁忙，请稍后再试。", "The server is busy; try again in a moment."),
    ("settings_saved", "设置已保存。", "Settings saved."),
    ("source", "来源", "Source"),
    ("state", "状态", "State"),
    ("status", "评估结论", "Status"),
    ("status_counts", "指标评估结论分布", "Indicators by status"),
    ("submit", "提交审核", "Submit for review"),
    ("submit_all_years", "同时提交其他年度的草稿", "Also submit the drafts of other years"),
    ("submitted", "已提交", "Submitted"),
    ("summary", "概况", "Summary"),
    ("target", "目标值", "Target"),
    ("target_year", "目标年", "Target year"),
    ("tasks", "重点任务", "Tasks"),
    ("time_elapsed_note", "时间进度按评估年末计算（时间过半、任务过半）。", "Time elapsed is counted to the end of the evaluation year (half the time, half the work)."),
    ("total", "合计", "Total"),
    ("unassigned", "未归入章节", "Not in a chapter"),
    ("unit", "单位", "Unit"),
    ("update", "更新", "Update"),
    ("updated", "更新", "Updated"),
    ("upload", "上传", "Upload"),
    ("upload_xlsx", "上传填报表（xlsx/csv）", "Upload a filled form (xlsx/csv)"),
    ("user", "用户", "User"),
    ("username", "用户名", "User name"),
    ("users", "用户", "Users"),
    ("value", "数值", "Value"),
    ("warning", "预警", "Warning"),
    ("warnings", "预警指标", "Early warnings"),
    ("will_submit", "将提交以下本年度草稿：", "These drafts of the year will be submitted:"),
    ("ws_completed", "已完成", "Completed"),
    ("ws_delayed", "滞后", "Delayed"),
    ("ws_in_progress", "推进中", "In progress"),
    ("ws_not_started", "未开始", "Not started"),
    ("year", "年份", "Year"),
];

/// The label `key` in `lang`; the key itself when the table lacks it (a
/// test checks that every key the templates use is in the table).
pub fn t(lang: Lang, key: &str) -> &str {
    match TABLE.binary_search_by(|(k, _, _)| k.cmp(&key)) {
        Ok(i) => lang.pick(TABLE[i].1, TABLE[i].2),
        Err(_) => key,
    }
}

/// Whether the table has `key`.
pub fn has(key: &str) -> bool {
    TABLE.binary_search_by(|(k, _, _)| k.cmp(&key)).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_unique() {
        for w in TABLE.windows(2) {
            assert!(w[0].0 < w[1].0, "{} must come before {}", w[1].0, w[0].0);
        }
        assert_eq!(t(Lang::Zh, "blueprint"), "一张蓝图");
        assert_eq!(t(Lang::En, "blueprint"), "Blueprint");
        assert_eq!(t(Lang::En, "no such key"), "no such key");
    }

    #[test]
    fn every_key_used_by_a_template_is_in_the_table() {
        for (name, src) in crate::templates::SOURCES {
            let mut rest = *src;
            while let Some(i) = rest.find("t(\"") {
                rest = &rest[i + 3..];
                let end = rest.find('"').unwrap();
                let key = &rest[..end];
                if rest[end + 1..].trim_start().starts_with('~') {
                    // A prefix completed at run time (`t("ws_" ~ s)`).
                    assert!(
                        TABLE.iter().any(|(k, _, _)| k.starts_with(key)),
                        "{name}: no key starts with `{key}`"
                    );
                } else {
                    assert!(has(key), "template {name} uses key `{key}`, which is not in the table");
                }
                rest = &rest[end..];
            }
        }
    }
}
