//! Report metadata: title, agency, year and administrative level.

use regex::Regex;
use std::sync::OnceLock;

use crate::report::AdminLevel;

/// Picks the report title among the first paragraphs: the first one that
/// names a year and says 报告 (年度报告, 年报).
pub fn find_title<'a>(paragraphs: impl Iterator<Item = &'a str>) -> Option<String> {
    paragraphs
        .take(60)
        .map(str::trim)
        .find(|p| p.chars().count() <= 80 && p.contains("报告") && year_re().is_match(p))
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(""))
}

fn year_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"(20[0-9]{2}|19[0-9]{2})\s*年").expect("valid regex"))
}

/// The year a title reports on ("广阳镇2022年政府信息公开工作年度报告").
pub fn year_in(text: &str) -> Option<i32> {
    let folded = crate::values::fold_width(text);
    year_re().captures(&folded).and_then(|c| c[1].parse().ok())
}

/// The reporting body named by a title: the text before the year, or, in
/// "2022年广阳镇政府信息公开…" titles, between the year and 政府信息公开.
pub fn agency_in(title: &str) -> Option<String> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"^(?:关于)?(?P<before>.*?)(?:20[0-9]{2})\s*年度?(?P<after>.*?)(?:政府信息公开|政务公开|信息公开)").expect("valid regex")
    });
    let title = crate::values::fold_width(title);
    let caps = re.captures(&title)?;
    let clean = |s: &str| {
        s.trim_matches(|c: char| c.is_whitespace() || "《》“”\"'（）()[]【】:：-—_".contains(c))
            .to_string()
    };
    let before = clean(&caps["before"]);
    let after = clean(&caps["after"]);
    let agency = if before.chars().count() >= 2 {
        before
    } else {
        after
    };
    (agency.chars().count() >= 2).then_some(agency)
}

/// The administrative level implied by the agency name's suffix.
pub fn admin_level(agency: &str) -> AdminLevel {
    let mut name = agency.trim();
    for suffix in ["人民政府办公室", "人民政府", "政府", "办事处", "管理委员会"]
    {
        if let Some(stripped) = name.strip_suffix(suffix) {
            if stripped.chars().count() >= 2 {
                name = stripped;
                break;
            }
        }
    }
    let ends = |suffixes: &[&str]| suffixes.iter().any(|s| name.ends_with(s));
    if ends(&[
        "局",
        "委",
        "委员会",
        "办",
        "办公室",
        "厅",
        "部",
        "中心",
        "院",
        "署",
        "会",
        "所",
        "队",
        "站",
    ]) {
        AdminLevel::Department
    } else if ends(&["街道", "镇", "乡", "苏木"]) {
        AdminLevel::Township
    } else if ends(&["省", "自治区"]) && !ends(&["区"]) || ends(&["省"]) {
        AdminLevel::Province
    } else if ends(&["县", "区", "旗"]) {
        AdminLevel::County
    } else if ends(&["市", "州", "盟"]) {
        AdminLevel::City
    } else {
        AdminLevel::Unknown
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agency_and_year_from_titles() {
        let t = "广阳镇2022年政府信息公开工作年度报告";
        assert_eq!(agency_in(t).as_deref(), Some("广阳镇"));
        assert_eq!(year_in(t), Some(2022));
        assert_eq!(
            agency_in("2023年青山县人民政府政府信息公开工作年度报告").as_deref(),
            Some("青山县人民政府")
        );
        assert_eq!(
            agency_in("白沙镇人民政府２０２３年度政府信息公开工作年度报告").as_deref(),
            Some("白沙镇人民政府")
        );
        assert_eq!(
            year_in("白沙镇人民政府２０２３年度政府信息公开工作年度报告"),
            Some(2023)
        );
    }

    #[test]
    fn admin_levels_from_suffixes() {
        assert_eq!(admin_level("广阳镇"), AdminLevel::Township);
        assert_eq!(admin_level("白沙镇人民政府"), AdminLevel::Township);
        assert_eq!(admin_level("红旗街道办事处"), AdminLevel::Township);
        assert_eq!(admin_level("青山县人民政府"), AdminLevel::County);
        assert_eq!(admin_level("青山县交通运输局"), AdminLevel::Department);
        assert_eq!(admin_level("南阳市"), AdminLevel::City);
        assert_eq!(admin_level("河南省人民政府"), AdminLevel::Province);
        assert_eq!(admin_level("某某"), AdminLevel::Unknown);
    }
}
