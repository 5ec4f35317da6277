//! Invented agency names from syllable lists, arranged in a geography:
//! province → city → county/district → township/sub-district, plus departments
//! (局/委) of cities and counties.

use super::rng::Rng;

pub const PROVINCES: &[&str] = &[
    "河北省",
    "山西省",
    "辽宁省",
    "吉林省",
    "黑龙江省",
    "江苏省",
    "浙江省",
    "安徽省",
    "福建省",
    "江西省",
    "山东省",
    "河南省",
    "湖北省",
    "湖南省",
    "广东省",
    "海南省",
    "四川省",
    "贵州省",
    "云南省",
    "陕西省",
    "甘肃省",
    "青海省",
    "内蒙古自治区",
    "广西壮族自治区",
    "宁夏回族自治区",
];

const FIRST: &[&str] = &[
    "广", "安", "平", "永", "长", "新", "兴", "东", "西", "南", "北", "清", "宁", "丰", "福", "华",
    "阳", "宝", "金", "石", "白", "青", "黄", "红", "龙", "凤", "云", "山", "河", "高", "太", "大",
    "小", "三", "双", "古", "文", "武", "泰", "和", "德", "仁", "义", "信", "嘉", "崇", "富", "昌",
    "盛", "隆", "明", "光", "瑞", "祥", "乐", "寿", "康", "吉", "庆", "顺", "桃", "柳", "杨", "松",
    "梅", "兰", "竹", "菊", "莲", "荷", "沙", "泉", "溪", "湖", "海",
];

const SECOND: &[&str] = &[
    "阳", "安", "平", "宁", "山", "水", "川", "河", "江", "源", "泉", "溪", "沟", "岭", "峰", "城",
    "州", "丰", "兴", "昌", "盛", "庄", "店", "集", "桥", "坪", "坝", "湾", "口", "寨", "林", "田",
    "原", "台", "亭", "关", "门", "塘", "洲", "滩", "岗", "堡", "营", "屯", "铺", "乐", "和", "福",
    "华", "明", "德", "化", "远", "丘", "陵", "溪", "岩", "阁", "楼", "园",
];

pub const CITY_DEPARTMENTS: &[&str] = &[
    "发展和改革委员会",
    "教育局",
    "科学技术局",
    "工业和信息化局",
    "公安局",
    "民政局",
    "司法局",
    "财政局",
    "人力资源和社会保障局",
    "自然资源和规划局",
    "生态环境局",
    "住房和城乡建设局",
    "交通运输局",
    "水利局",
    "农业农村局",
    "商务局",
    "文化广电和旅游局",
    "卫生健康委员会",
    "退役军人事务局",
    "应急管理局",
    "审计局",
    "市场监督管理局",
    "统计局",
    "医疗保障局",
    "城市管理局",
    "林业局",
    "信访局",
    "乡村振兴局",
    "数据和政务服务局",
];

/// One reporting body.
#[derive(Clone, Debug)]
pub struct Agency {
    pub name: String,
    pub level: Level,
    pub province: String,
    pub city: String,
    /// The county/district the agency belongs to (None for cities and city departments).
    pub county: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Township,
    County,
    City,
    Department,
}

impl Level {
    pub fn key(self) -> &'static str {
        match self {
            Level::Township => "township",
            Level::County => "county",
            Level::City => "city",
            Level::Department => "department",
        }
    }
}

fn two(rng: &mut Rng) -> String {
    loop {
        let a = rng.pick(FIRST);
        let b = rng.pick(SECOND);
        if a != b {
            return format!("{a}{b}");
        }
    }
}

/// Draws agencies one geography at a time. Names are unique inside the whole
/// corpus (checked against `used`, a sorted set: no hash iteration order).
pub struct NameSource {
    used: std::collections::BTreeSet<String>,
}

impl NameSource {
    pub fn new() -> Self {
        NameSource {
            used: Default::default(),
        }
    }

    fn fresh(&mut self, rng: &mut Rng, suffixes: &[(&str, f64)]) -> String {
        let ws: Vec<f64> = suffixes.iter().map(|s| s.1).collect();
        for attempt in 0..1000 {
            let mut base = two(rng);
            if attempt > 50 {
                let extra: &str = rng.pick::<&str>(SECOND);
                base.push_str(extra);
            }
            let suffix = suffixes[rng.weighted(&ws)].0;
            let name = format!("{base}{suffix}");
            if self.used.insert(name.clone()) {
                return name;
            }
        }
        unreachable!("name space exhausted")
    }

    /// A city with its counties, townships and departments.
    pub fn city_cluster(&mut self, rng: &mut Rng) -> Vec<Agency> {
        let province = rng.pick(PROVINCES).to_string();
        let city = self.fresh(rng, &[("市", 1.0)]);
        let mut out = vec![Agency {
            name: city.clone(),
            level: Level::City,
            province: province.clone(),
            city: city.clone(),
            county: None,
        }];
        // City departments.
        let ndept = rng.range(1, 5) as usize;
        let mut depts: Vec<&str> = CITY_DEPARTMENTS.to_vec();
        rng.shuffle(&mut depts);
        for d in depts.iter().take(ndept) {
            out.push(Agency {
                name: format!("{city}{d}"),
                level: Level::Department,
                province: province.clone(),
                city: city.clone(),
                county: None,
            });
        }
        let ncounty = rng.range(2, 6);
        for _ in 0..ncounty {
            let county = self.fresh(rng, &[("县", 0.6), ("区", 0.4)]);
            out.push(Agency {
                name: county.clone(),
                level: Level::County,
                province: province.clone(),
                city: city.clone(),
                county: Some(county.clone()),
            });
            let nd = rng.range(0, 3) as usize;
            rng.shuffle(&mut depts);
            for d in depts.iter().take(nd) {
                out.push(Agency {
                    name: format!("{county}{d}"),
                    level: Level::Department,
                    province: province.clone(),
                    city: city.clone(),
                    county: Some(county.clone()),
                });
            }
            let ntown = rng.range(4, 14);
            let street_share = if county.ends_with('区') { 0.6 } else { 0.1 };
            for _ in 0..ntown {
                let t = self.fresh(
                    rng,
                    &[
                        ("镇", 0.9 - street_share * 0.9),
                        ("乡", 0.3),
                        ("街道", street_share * 1.5),
                    ],
                );
                out.push(Agency {
                    name: t,
                    level: Level::Township,
                    province: province.clone(),
                    city: city.clone(),
                    county: Some(county.clone()),
                });
            }
        }
        out
    }

    /// A person's name for the narrative (组长 etc.).
    pub fn person(rng: &mut Rng) -> String {
        const SUR: &[&str] = &[
            "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱",
            "高", "林", "何", "郭", "马", "罗", "韩", "毛",
        ];
        const GIV: &[&str] = &[
            "明", "伟", "芳", "军", "勇", "杰", "涛", "静", "磊", "强", "洋", "艳", "敏", "建",
            "国", "华", "平", "刚", "铭", "源", "金", "红", "春", "海",
        ];
        let mut s = rng.pick(SUR).to_string();
        s.push_str(rng.pick::<&str>(GIV));
        if rng.chance(0.6) {
            s.push_str(rng.pick::<&str>(GIV));
        }
        s
    }
}
