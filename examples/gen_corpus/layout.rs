//! The template layouts: canonical keys (TEMPLATE.md) and the labels the blank
//! template prints. Only the 2021 format is generated; a 2019 layout would add
//! its own row lists here (table 三 with a single `other` row, table 二 with
//! the 2019 blocks) and a `Template::T2019` arm in the builders.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Template {
    T2021,
}

impl Template {
    pub fn key(self) -> &'static str {
        match self {
            Template::T2021 => "2021",
        }
    }
}

/// Table 三 columns: canonical key and label.
pub const REQ_COLS: [(&str, &str); 7] = [
    ("natural_person", "自然人"),
    ("commercial", "商业企业"),
    ("research", "科研机构"),
    ("public_interest", "社会公益组织"),
    ("legal_service", "法律服务机构"),
    ("other_org", "其他"),
    ("total", "总计"),
];
pub const TOTAL: usize = 6;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowKind {
    New,
    CarriedOver,
    Result,
    ResultsTotal,
    CarriedForward,
}

/// One row of table 三.
#[derive(Clone, Copy, Debug)]
pub struct ReqRow {
    pub key: &'static str,
    pub kind: RowKind,
    /// Result group 1..=7 for （一）..（七）, 0 for the top-level rows.
    pub group: u8,
    /// Number inside the group (1. 2. …), 0 when the group has no sub-rows.
    pub sub: u8,
    /// Label text without numbering.
    pub text: &'static str,
}

const fn r(key: &'static str, kind: RowKind, group: u8, sub: u8, text: &'static str) -> ReqRow {
    ReqRow {
        key,
        kind,
        group,
        sub,
        text,
    }
}

use RowKind::*;

pub const REQ_ROWS_2021: [ReqRow; 25] = [
    r("new", New, 0, 0, "本年新收政府信息公开申请数量"),
    r(
        "carried_over",
        CarriedOver,
        0,
        0,
        "上年结转政府信息公开申请数量",
    ),
    r("granted", Result, 1, 0, ""),
    r("partly_granted", Result, 2, 0, ""),
    r("denied.state_secret", Result, 3, 1, "属于国家秘密"),
    r(
        "denied.prohibited_by_law",
        Result,
        3,
        2,
        "其他法律行政法规禁止公开",
    ),
    r(
        "denied.security_stability",
        Result,
        3,
        3,
        "危及“三安全一稳定”",
    ),
    r("denied.third_party", Result, 3, 4, "保护第三方合法权益"),
    r(
        "denied.internal_affairs",
        Result,
        3,
        5,
        "属于三类内部事务信息",
    ),
    r("denied.process_info", Result, 3, 6, "属于四类过程性信息"),
    r("denied.enforcement_file", Result, 3, 7, "属于行政执法案卷"),
    r("denied.query", Result, 3, 8, "属于行政查询事项"),
    r(
        "unavailable.not_held",
        Result,
        4,
        1,
        "本机关不掌握相关政府信息",
    ),
    r(
        "unavailable.needs_creation",
        Result,
        4,
        2,
        "没有现成信息需要另行制作",
    ),
    r(
        "unavailable.unclear",
        Result,
        4,
        3,
        "补正后申请内容仍不明确",
    ),
    r("not_processed.petition", Result, 5, 1, "信访举报投诉类申请"),
    r("not_processed.repeated", Result, 5, 2, "重复申请"),
    r(
        "not_processed.publication",
        Result,
        5,
        3,
        "要求提供公开出版物",
    ),
    r(
        "not_processed.mass_requests",
        Result,
        5,
        4,
        "无正当理由大量反复申请",
    ),
    r(
        "not_processed.confirmation",
        Result,
        5,
        5,
        "要求行政机关确认或重新出具已获取信息",
    ),
    r(
        "other.no_correction",
        Result,
        6,
        1,
        "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    ),
    r(
        "other.no_fee",
        Result,
        6,
        2,
        "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    ),
    r("other.other", Result, 6, 3, "其他"),
    r("results_total", ResultsTotal, 7, 0, ""),
    r(
        "carried_forward",
        CarriedForward,
        0,
        0,
        "结转下年度继续办理",
    ),
];

pub const ROW_NEW: usize = 0;
pub const ROW_CO: usize = 1;
pub const ROW_RT: usize = 23;
pub const ROW_CF: usize = 24;
/// Rows 2..=22 are the results.
pub const RESULT_ROWS: std::ops::Range<usize> = 2..23;

/// Group labels （一）..（七）, index = group number.
pub const GROUP_TEXT: [&str; 8] = [
    "",
    "予以公开",
    "部分公开（区分处理的，只计这一情形，不计其他情形）",
    "不予公开",
    "无法提供",
    "不予处理",
    "其他处理",
    "总计",
];

pub const CN_NUM: [&str; 11] = [
    "〇", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十",
];

/// Table 四.
pub const REVIEW_GROUPS: [(&str, &str); 3] = [
    ("review", "行政复议"),
    ("suit_direct", "未经复议直接起诉"),
    ("suit_after_review", "复议后起诉"),
];
pub const REVIEW_COLS: [(&str, &str); 5] = [
    ("upheld", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
    ("total", "总计"),
];

/// Table 二 (2021): row keys.
pub const ACTIVE_ROWS: [&str; 6] = [
    "regulations",
    "normative_documents",
    "licensing",
    "penalty",
    "coercion",
    "fees",
];

/// The six sections: key and usual heading text (without the number).
pub const SECTIONS: [(&str, &str); 6] = [
    ("overview", "总体情况"),
    ("active_disclosure", "主动公开政府信息情况"),
    ("requests", "收到和处理政府信息公开申请情况"),
    ("review_litigation", "政府信息公开行政复议、行政诉讼情况"),
    ("problems", "存在的主要问题及改进情况"),
    ("other", "其他需要报告的事项"),
];

pub const SECTION4_VARIANTS: [&str; 3] = [
    "政府信息公开行政复议、行政诉讼情况",
    "因政府信息公开工作被申请行政复议、提起行政诉讼情况",
    "因政府信息公开工作被申请行政复议和提起行政诉讼情况",
];
pub const SECTION5_VARIANTS: [&str; 2] = [
    "存在的主要问题及改进情况",
    "政府信息公开工作存在的主要问题及改进情况",
];
