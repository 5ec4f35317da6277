//! The region words of a report: the 省/市/区/县/镇/乡/街道 names an auditor
//! filters and searches by. Agencies name themselves briefly ("信川镇",
//! "吉宁市教育局"), so the folders of the source path (archives are sorted
//! by province and city: `黑龙江省/吉宁市/信川镇-2023.docx`) are read too.

/// Endings of administrative names, longest first.
const SUFFIXES: &[&str] = &[
    "特别行政区",
    "自治区",
    "自治州",
    "自治县",
    "自治旗",
    "街道",
    "省",
    "市",
    "州",
    "盟",
    "区",
    "县",
    "旗",
    "镇",
    "乡",
];

/// Longest region name considered (a folder called "2023年各乡镇年度报告汇总"
/// is not a region).
const MAX_CHARS: usize = 12;

/// Region words of a report, outermost first, without repeats.
pub(crate) fn region_words(agency: Option<&str>, source: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut push = |w: String| {
        if !out.contains(&w) {
            out.push(w);
        }
    };
    let mut parts: Vec<&str> = source.split(['/', '\\', '!']).collect();
    parts.pop(); // the file name
    for part in parts {
        if is_region(part) {
            push(part.to_string());
        }
    }
    if let Some(agency) = agency {
        for w in agency_prefix_regions(agency) {
            push(w);
        }
    }
    out
}

fn is_region(s: &str) -> bool {
    let n = s.chars().count();
    (2..=MAX_CHARS).contains(&n)
        && s.chars().all(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
        && SUFFIXES
            .iter()
            .any(|x| s.ends_with(x) && s.chars().count() > x.chars().count())
}

/// "河北省廊坊市广阳区南尖塔镇人民政府" -> 河北省, 廊坊市, 广阳区, 南尖塔镇.
fn agency_prefix_regions(agency: &str) -> Vec<String> {
    let chars: Vec<char> = agency.chars().collect();
    let mut out = Vec::new();
    let mut start = 0;
    'outer: while start < chars.len() {
        for end in start + 2..=(start + MAX_CHARS).min(chars.len()) {
            let word: String = chars[start..end].iter().collect();
            if SUFFIXES.iter().any(|x| word.ends_with(x)) && is_region(&word) {
                out.push(word);
                start = end;
                continue 'outer;
            }
        }
        break;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_and_agency_prefixes() {
        assert_eq!(
            region_words(
                Some("吉宁市教育局"),
                "in/黑龙江省/吉宁市/吉宁市教育局-2021.docx"
            ),
            ["黑龙江省", "吉宁市"]
        );
        assert_eq!(
            region_words(Some("河北省廊坊市广阳区南尖塔镇人民政府"), "a.zip!x.html"),
            ["河北省", "廊坊市", "广阳区", "南尖塔镇"]
        );
        assert_eq!(
            region_words(Some("和平街道办事处"), "2023年各乡镇年度报告汇总/x.txt"),
            ["和平街道"]
        );
        assert!(region_words(Some("市场监督管理局"), "out/x.txt").is_empty());
        assert!(region_words(None, "").is_empty());
    }
}
