//! The agency key: which reports come from the same body.
//!
//! One office is written many ways: 平潭综合实验区 / 平潭综合实验区管委会,
//! 广阳镇 / 广阳镇人民政府, 红旗街道 / 红旗街道办事处, full-width or
//! half-width, with spaces, with or without its province and city prefix
//! (河南省广阳市广阳镇). The key is the short name (organizational suffixes
//! stripped) plus the region words known for the report: those of the name's
//! prefix and those of the folders it came from (`河南省/广阳市/...`).
//!
//! Two different offices may share a short name (新华镇 exists in many
//! counties), so the region is never dropped. A report that knows less of its
//! region (no prefix, an unnamed folder) joins the one series whose region
//! words include all of its own; when two different regions would fit, it
//! keeps its own key rather than guess. An alias file (CSV `name,key`)
//! overrides all of this for the names it lists.

use std::collections::{BTreeSet, HashMap};

use crate::values::fold_width;

/// Provincial-level units, by the name they are known without suffix.
const PROVINCES: &[&str] = &[
    "北京",
    "天津",
    "上海",
    "重庆",
    "河北",
    "山西",
    "辽宁",
    "吉林",
    "黑龙江",
    "江苏",
    "浙江",
    "安徽",
    "福建",
    "江西",
    "山东",
    "河南",
    "湖北",
    "湖南",
    "广东",
    "海南",
    "四川",
    "贵州",
    "云南",
    "陕西",
    "甘肃",
    "青海",
    "台湾",
    "内蒙古",
    "广西",
    "西藏",
    "宁夏",
    "新疆",
    "香港",
    "澳门",
];
const PROVINCE_SUFFIXES: &[&str] = &[
    "壮族自治区",
    "回族自治区",
    "维吾尔自治区",
    "自治区",
    "特别行政区",
    "省",
    "市",
];
/// Organizational suffixes that name the same body as the bare place name.
const BODY_SUFFIXES: &[&str] = &["人民政府", "政府", "管理委员会", "管委会"];

/// A name taken apart: the short name and the region words before it, each
/// with its level (0 province, 1 city, 2 county).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct NameParts {
    pub short: String,
    pub region: BTreeSet<(u8, String)>,
}

/// Width, spaces and the organizational suffix.
pub(crate) fn clean(name: &str) -> String {
    let mut s: String = fold_width(name)
        .chars()
        .filter(|c| !c.is_whitespace() && !"·•.。，,、".contains(*c))
        .collect();
    if let Some(stripped) = s.strip_suffix("办事处") {
        if stripped.ends_with("街道") {
            s = stripped.to_string();
        }
    }
    for suffix in BODY_SUFFIXES {
        if let Some(stripped) = s.strip_suffix(suffix) {
            if stripped.chars().count() >= 2 {
                s = stripped.to_string();
                break;
            }
        }
    }
    s
}

fn level_of(token: &str) -> Option<u8> {
    let last = token.chars().last()?;
    match last {
        '市' | '州' | '盟' => Some(1),
        '县' | '区' | '旗' => Some(2),
        _ if token.ends_with("地区") => Some(1),
        _ => None,
    }
}

/// A leading province, with its length in bytes.
fn province_prefix(s: &str) -> Option<(String, usize)> {
    let base = PROVINCES.iter().find(|p| s.starts_with(**p))?;
    let rest = &s[base.len()..];
    let suffix = PROVINCE_SUFFIXES
        .iter()
        .find(|x| rest.starts_with(**x))
        .map_or(0, |x| x.len());
    // 北京市 is a province-level city; 北京 alone may also start a longer word.
    if suffix == 0 && !["北京", "天津", "上海", "重庆"].contains(base) {
        return None;
    }
    Some((base.to_string(), base.len() + suffix))
}

/// Splits a cleaned name into region prefix and short name.
pub(crate) fn parts(name: &str) -> NameParts {
    let mut s = clean(name);
    let mut region = BTreeSet::new();
    if let Some((p, len)) = province_prefix(&s) {
        if s.len() > len {
            region.insert((0, p));
            s = s[len..].to_string();
        }
    }
    // City, then county: the shortest leading token ending in a unit
    // character, when a real name (3+ characters) follows it.
    for _ in 0..2 {
        let chars: Vec<(usize, char)> = s.char_indices().collect();
        let mut cut = None;
        for (i, &(at, c)) in chars.iter().enumerate().skip(1) {
            if i > 10 {
                break;
            }
            if "市州盟县区旗".contains(c) {
                let end = at + c.len_utf8();
                if s[end..].chars().count() >= 3 {
                    cut = Some(end);
                }
                break;
            }
        }
        let Some(end) = cut else { break };
        let token = s[..end].to_string();
        let Some(level) = level_of(&token) else { break };
        region.insert((level, token));
        s = s[end..].to_string();
    }
    NameParts { short: s, region }
}

/// Region words of the folders a source came from (`河南省/广阳市/x.html`,
/// `a.zip!河南省/广阳市/x.html`), excluding the file name.
pub(crate) fn folder_region(source: &str) -> BTreeSet<(u8, String)> {
    let mut out = BTreeSet::new();
    let parts: Vec<&str> = source.split(['/', '\\', '!']).collect();
    for part in parts.iter().take(parts.len().saturating_sub(1)) {
        let part = fold_width(part);
        let part = part.trim();
        if part.chars().count() > 12 || part.chars().count() < 2 {
            continue;
        }
        if let Some((p, len)) = province_prefix(part) {
            if len == part.len() {
                out.insert((0, p));
                continue;
            }
        }
        if let Some(level) = level_of(part) {
            out.insert((level, part.to_string()));
        }
    }
    out
}

/// What identifies a report before the archive-wide resolution: the short
/// name and every region word known for it.
pub(crate) fn raw_identity(agency: &str, source: &str) -> NameParts {
    let mut p = parts(agency);
    // A region word that names the office itself (a county's report in the
    // county's folder) says nothing about where it is; one word per level,
    // and a folder that disagrees with the name loses.
    let own = clean(agency);
    for (level, word) in folder_region(source) {
        if word != p.short && word != own && !p.region.iter().any(|(l, _)| *l == level) {
            p.region.insert((level, word));
        }
    }
    p
}

/// The key text: region words by level, then the short name.
pub(crate) fn key_text(p: &NameParts) -> String {
    let mut s = String::new();
    for (_, w) in &p.region {
        s.push_str(w);
        s.push('/');
    }
    s.push_str(&p.short);
    s
}

/// A place name (a township, county, city…) rather than an office name.
fn is_place(short: &str) -> bool {
    [
        "镇", "乡", "街道", "苏木", "县", "区", "市", "旗", "州", "盟", "省",
    ]
    .iter()
    .any(|s| short.ends_with(s))
}

/// Resolves identities archive-wide: an identity whose region words are a
/// subset of exactly one fuller identity with the same short name joins it.
/// Returns the key for each distinct identity.
pub(crate) fn resolve(identities: &[NameParts]) -> Vec<String> {
    let mut by_short: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, p) in identities.iter().enumerate() {
        by_short.entry(p.short.as_str()).or_default().push(i);
    }
    let mut keys: Vec<String> = identities.iter().map(key_text).collect();
    for members in by_short.values() {
        if members.len() < 2 {
            continue;
        }
        // Maximal identities: no other identity's region strictly contains theirs.
        let mut maximal: Vec<usize> = members
            .iter()
            .copied()
            .filter(|&a| {
                !members.iter().any(|&b| {
                    b != a
                        && identities[b].region.len() > identities[a].region.len()
                        && identities[a].region.is_subset(&identities[b].region)
                })
            })
            .collect();
        maximal.sort_by(|&a, &b| identities[a].region.cmp(&identities[b].region));
        maximal.dedup_by(|a, b| identities[*a].region == identities[*b].region);
        // A department (教育局) is an office of the level its region words
        // end at: 永口市教育局 is not 云城区's, though 云城区 lies in 永口市.
        let place = is_place(identities[members[0]].short.as_str());
        let depth = |i: usize| identities[i].region.iter().map(|(l, _)| *l).max();
        for &a in members {
            let fits: Vec<usize> = maximal
                .iter()
                .copied()
                .filter(|&m| identities[a].region.is_subset(&identities[m].region))
                .filter(|&m| place || depth(m) == depth(a))
                .collect();
            if let [m] = fits[..] {
                keys[a] = key_text(&identities[m]);
            }
        }
    }
    keys
}

/// User-supplied aliases: a name (as written, width and spaces ignored) to
/// the key to use.
#[derive(Debug, Default, Clone)]
pub struct Aliases {
    map: HashMap<String, String>,
}

#[derive(Debug, thiserror::Error)]
pub enum AliasError {
    #[error("cannot read the alias file {path}: {source}")]
    Read {
        path: std::path::PathBuf,
        source: csv::Error,
    },
    #[error("alias file {path}, line {line}: expected two columns `name,key`")]
    Shape { path: std::path::PathBuf, line: u64 },
}

fn alias_form(name: &str) -> String {
    fold_width(name)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

impl Aliases {
    /// Reads `name,key` lines; a first line `name,key` is a header.
    pub fn load(path: &std::path::Path) -> Result<Aliases, AliasError> {
        let read = |source| AliasError::Read {
            path: path.to_path_buf(),
            source,
        };
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_path(path)
            .map_err(read)?;
        let mut map = HashMap::new();
        for record in reader.records() {
            let record = record.map_err(read)?;
            let line = record.position().map_or(0, |p| p.line());
            let (Some(name), Some(key), 2) = (record.get(0), record.get(1), record.len()) else {
                return Err(AliasError::Shape {
                    path: path.to_path_buf(),
                    line,
                });
            };
            if line == 1 && name.trim() == "name" && key.trim() == "key" {
                continue;
            }
            map.insert(alias_form(name), key.trim().to_string());
        }
        Ok(Aliases { map })
    }

    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Aliases {
        Aliases {
            map: pairs
                .into_iter()
                .map(|(n, k)| (alias_form(n), k.to_string()))
                .collect(),
        }
    }

    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.map.get(&alias_form(name)).map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(names: &[(&str, &str)]) -> Vec<String> {
        let ids: Vec<NameParts> = names.iter().map(|(n, s)| raw_identity(n, s)).collect();
        resolve(&ids)
    }

    #[test]
    fn one_office_written_many_ways_is_one_key() {
        let k = keys(&[
            ("平潭综合实验区", "x/a.html"),
            ("平潭综合实验区管委会", "x/b.docx"),
        ]);
        assert_eq!(k[0], k[1]);
        let k = keys(&[
            ("广阳镇", "河南省/广阳市/广阳镇-2022.html"),
            ("广阳镇人民政府", "河南省/广阳市/广阳镇-2023.docx"),
            ("河南省广阳市广阳镇", "downloads/2024.html"),
            ("广阳市 广阳镇", "downloads/2021.html"),
            ("广阳镇", "downloads/2020.txt"),
            ("红旗街道办事处", "a/1.html"),
        ]);
        assert_eq!(k[0], "河南/广阳市/广阳镇");
        assert!(k[..5].iter().all(|x| *x == k[0]), "{k:?}");
        assert_eq!(k[5], "红旗街道");
        assert_eq!(
            clean("ＸＸ镇　人民政府"),
            clean("XX镇"),
            "full-width and spaces"
        );
    }

    #[test]
    fn same_short_name_in_different_counties_stays_apart() {
        let k = keys(&[
            ("新华镇", "河北省/石家庄市/新华镇-2022.html"),
            ("新华镇", "河北省/石家庄市/新华镇-2023.html"),
            ("新华镇", "四川省/成都市/新华镇-2022.html"),
            ("永平县新华镇", "x/2022.html"),
            ("东安县新华镇", "x/2022b.html"),
            ("新华镇", "x/2021.html"),
        ]);
        assert_eq!(k[0], k[1]);
        assert_ne!(k[0], k[2]);
        assert_ne!(k[3], k[4]);
        // Four regions fit a bare 新华镇: it keeps its own key.
        assert_eq!(k[5], "新华镇");
    }

    #[test]
    fn a_city_department_is_not_its_county_namesake() {
        let k = keys(&[
            ("永口市自然资源和规划局", "浙江省/永口市/a-2022.html"),
            ("云城区自然资源和规划局", "浙江省/永口市/b-2022.html"),
            ("浙江省永口市自然资源和规划局", "x/c-2023.html"),
        ]);
        assert_ne!(k[0], k[1]);
        assert_eq!(k[0], k[2]);
    }

    #[test]
    fn departments_keep_their_region() {
        let p = parts("广阳市市场监督管理局");
        assert_eq!(p.short, "市场监督管理局");
        assert!(p.region.contains(&(1, "广阳市".to_string())));
        assert_eq!(parts("广阳市").short, "广阳市");
        assert_eq!(parts("北京市海淀区").region.len(), 1);
    }

    #[test]
    fn aliases_read_from_csv() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("aliases.csv");
        std::fs::write(&path, "name,key\n平潭综合实验区管委会, 福建/平潭\n").unwrap();
        let a = Aliases::load(&path).unwrap();
        assert_eq!(a.get("平潭综合实验区 管委会"), Some("福建/平潭"));
        std::fs::write(&path, "a,b,c\n").unwrap();
        assert!(matches!(
            Aliases::load(&path),
            Err(AliasError::Shape { .. })
        ));
    }
}
