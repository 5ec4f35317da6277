//! Report metadata: title, agency, year and administrative level.

use regex::Regex;
use std::sync::OnceLock;

use crate::report::AdminLevel;

/// Picks the report title among the first paragraphs: the first one that
/// names a year and says 报告 (年度报告, 年报). A title line of the page
/// itself wins over a crawler's header line (`标题:`, `title:`), which
/// wins over a title that names no year (the year is then in the text).
/// Crawler and export prefixes (`标题:`, `# `, `Page8-`) and a site name
/// after the title (`…年度报告-某某县人民政府`) are removed.
pub fn find_title<'a>(paragraphs: impl Iterator<Item = &'a str>) -> Option<String> {
    let candidates: Vec<(bool, &str)> = paragraphs
        .take(60)
        .map(str::trim)
        .filter(|p| p.chars().count() <= 120 && p.contains("报告"))
        .map(|p| {
            let stripped = strip_title_prefix(p);
            (stripped.len() != p.len(), stripped)
        })
        .filter(|(_, p)| p.chars().count() <= 80)
        .collect();
    let with_year = |prefixed: bool| {
        candidates
            .iter()
            .find(|(pre, p)| *pre == prefixed && year_re().is_match(p) && is_report_title(p))
    };
    let pick = with_year(false)
        .or_else(|| with_year(true))
        .or_else(|| candidates.iter().find(|(_, p)| is_report_title(p)))?;
    let title = strip_site_suffix(pick.1);
    Some(title.split_whitespace().collect::<Vec<_>>().join(""))
}

/// Says what a report title says: an annual report on disclosure.
fn is_report_title(p: &str) -> bool {
    (p.contains("年度报告") || p.contains("年报") || p.contains("工作报告"))
        && p.contains("公开")
        && !p.contains('。')
}

/// Removes a crawler's or an export's prefix from a title line.
pub fn strip_title_prefix(line: &str) -> &str {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"^(?:(?:标题|题目|文章标题|名称|[Tt]itle|TITLE)\s*[:：]\s*|#{1,6}\s*|[Pp]age\s*[0-9]+\s*[-_—:：]\s*|【[^】]{0,12}】\s*)+")
            .expect("valid regex")
    });
    re.find(line).map_or(line, |m| line[m.end()..].trim_start())
}

/// "…年度报告-清河县人民政府" or "…年度报告_某某网": the site's name after
/// the title.
fn strip_site_suffix(title: &str) -> &str {
    match title.rfind("报告") {
        Some(i) => {
            let end = i + "报告".len();
            let rest = title[end..].trim_start();
            if rest.starts_with(['-', '_', '|', '—', '－']) {
                &title[..end]
            } else {
                title
            }
        }
        None => title,
    }
}

/// The year a report's statistics cover, from the sentence real reports
/// print ("本报告中所列数据的统计期限自2022年1月1日起至2022年12月31日止").
pub fn period_year(text: &str) -> Option<i32> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"(?:统计期限|统计时限|统计时间|数据统计期)[^0-9。]{0,8}(20[0-9]{2})\s*年\s*1\s*月\s*1\s*日[^0-9。]{0,6}(?:(20[0-9]{2})\s*年\s*)?12\s*月\s*31\s*日")
            .expect("valid regex")
    });
    let folded = crate::values::fold_width(text);
    let caps = re.captures(&folded)?;
    caps.get(2).or(caps.get(1))?.as_str().parse().ok()
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
        Regex::new(r"^(?:关于)?(?:报送|印发|公布|发布|上报|呈报|提交)?(?P<before>.*?)(?:20[0-9]{2})\s*年度?(?P<after>.*?)(?:政府信息公开|政务公开|信息公开)").expect("valid regex")
    });
    let title = crate::values::fold_width(strip_title_prefix(title));
    let Some(caps) = re.captures(&title) else {
        return agency_without_year(&title);
    };
    let clean = |s: &str| {
        s.trim_matches(|c: char| c.is_whitespace() || "《》“”\"'（）()[]【】:：-—_".contains(c))
            .to_string()
    };
    let before = clean(after_navigation(&caps["before"]));
    let after = clean(&caps["after"]);
    let agency = if before.chars().count() >= 2 {
        before
    } else {
        after
    };
    (agency.chars().count() >= 2).then_some(agency)
}

/// What follows a site's navigation glued before a title ("首页 > 政务公开 >
/// 政府信息公开年报广阳镇"): agency names never contain these words.
fn after_navigation(before: &str) -> &str {
    const NAV: &[&str] = &[
        ">",
        "＞",
        "›",
        "|",
        "首页",
        "当前位置",
        "政务公开",
        "信息公开",
        "年报",
        "年度报告",
    ];
    let cut = NAV
        .iter()
        .filter_map(|m| before.rfind(m).map(|i| i + m.len()))
        .max()
        .unwrap_or(0);
    &before[cut..]
}

#[test]
fn navigation_before_a_title_is_not_the_agency() {
    assert_eq!(
        agency_in("首页 > 政务公开 > 政府信息公开年报广阳镇2022年政府信息公开工作年度报告")
            .as_deref(),
        Some("广阳镇")
    );
}

/// "广阳镇政府信息公开工作年度报告" (the year only in the text): the name
/// before 政府信息公开.
fn agency_without_year(title: &str) -> Option<String> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"^(?:关于)?(?:报送|印发|公布|发布|上报|呈报|提交)?(?P<a>[\p{Han}（）()]{2,30}?)(?:政府信息公开|政务公开|信息公开)").expect("valid regex")
    });
    let name = re.captures(title)?["a"].to_string();
    (name.chars().count() >= 2).then_some(name)
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
        for t in [
            "标题: 广阳镇2022年政府信息公开工作年度报告",
            "# 广阳镇2022年政府信息公开工作年度报告",
            "Page8-广阳镇2022年政府信息公开工作年度报告",
            "关于报送广阳镇2022年政府信息公开工作年度报告的函",
        ] {
            assert_eq!(agency_in(t).as_deref(), Some("广阳镇"), "{t}");
        }
        assert_eq!(
            agency_in("广阳镇政府信息公开工作年度报告").as_deref(),
            Some("广阳镇")
        );
        assert_eq!(
            period_year("本报告中所列数据的统计期限自2022年1月1日起至2022年12月31日止。"),
            Some(2022)
        );
        let title = find_title(
            [
                "title: 清河县2022年政府信息公开工作年度报告-清河县人民政府",
                "清河县2022年政府信息公开工作年度报告",
            ]
            .into_iter(),
        );
        assert_eq!(
            title.as_deref(),
            Some("清河县2022年政府信息公开工作年度报告")
        );
        let title =
            find_title(["title: 清河县2022年政府信息公开工作年度报告-清河县人民政府"].into_iter());
        assert_eq!(
            title.as_deref(),
            Some("清河县2022年政府信息公开工作年度报告")
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
