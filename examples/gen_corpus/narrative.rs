//! Plausible narrative for the six sections, assembled from sentence banks.
//! Everything is drawn from the report's render stream, except the request
//! count statement, which comes from the model (`Report::narr`).

use super::layout::*;
use super::model::{Narr, Report};
use super::names::{Level, NameSource};
use super::rng::Rng;
use super::style::SubTopics;

/// The narrative of one report. Headings are given without their numbers;
/// renderers number them (or let Word number them).
#[derive(Clone, Debug, Default)]
pub struct Narrative {
    /// Paragraphs right under the 总体情况 heading.
    pub intro: Vec<String>,
    /// Sub-topics of 总体情况: (sub-heading text or None, paragraphs).
    pub topics: Vec<(Option<String>, Vec<String>)>,
    pub active_intro: Option<String>,
    pub requests_intro: Option<String>,
    pub review_intro: Option<String>,
    pub problems: Vec<String>,
    pub other: Vec<String>,
    /// Date and signature lines at the end.
    pub closing: Vec<String>,
}

impl Narrative {
    pub fn byte_len(&self) -> usize {
        let mut n = 0;
        for p in self
            .intro
            .iter()
            .chain(self.problems.iter())
            .chain(self.other.iter())
        {
            n += p.len();
        }
        for (h, ps) in &self.topics {
            n += h.as_ref().map_or(0, |h| h.len());
            n += ps.iter().map(|p| p.len()).sum::<usize>();
        }
        n
    }
}

fn superior(r: &Report) -> &'static str {
    match r.agency.level {
        Level::Township => "县委、县政府",
        Level::County => "市委、市政府",
        Level::City => "省委、省政府",
        Level::Department => {
            if r.agency.county.is_some() {
                "县委、县政府"
            } else {
                "市委、市政府"
            }
        }
    }
}

fn party(r: &Report) -> &'static str {
    match r.agency.level {
        Level::Township => {
            if r.agency.name.ends_with("街道") {
                "街道党工委"
            } else {
                "镇党委"
            }
        }
        Level::County => "县委",
        Level::City => "市委",
        Level::Department => "局党组",
    }
}

/// Fills {A} agency, {Y} year, {S} superior, {P} party body, {C} city, {N}
/// a random small number, {M} a larger one.
fn fill(rng: &mut Rng, r: &Report, t: &str) -> String {
    fill_year(rng, r, t, r.year)
}

/// [`fill`] with the year {Y} stands for (a stale copy names last year).
fn fill_year(rng: &mut Rng, r: &Report, t: &str, year: u32) -> String {
    let mut out = String::with_capacity(t.len() + 32);
    let mut chars = t.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '{' {
            let mut key = String::new();
            for k in chars.by_ref() {
                if k == '}' {
                    break;
                }
                key.push(k);
            }
            match key.as_str() {
                "A" => out.push_str(&r.agency.name),
                "Y" => out.push_str(&year.to_string()),
                "S" => out.push_str(superior(r)),
                "P" => out.push_str(party(r)),
                "C" => out.push_str(&r.agency.city),
                "N" => out.push_str(&rng.range(2, 30).to_string()),
                "M" => out.push_str(&rng.range(40, 900).to_string()),
                "R" => out.push_str(&NameSource::person(rng)),
                _ => {
                    out.push('{');
                    out.push_str(&key);
                    out.push('}');
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

const OPENINGS: &[&str] = &[
    "{Y}年，{A}在{S}的正确领导下，坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻落实《中华人民共和国政府信息公开条例》（以下简称《条例》），紧紧围绕中心工作，不断完善政务公开工作机制，拓宽公开渠道，提升公开质量，切实保障人民群众的知情权、参与权、表达权和监督权。现将本年度政府信息公开工作情况报告如下。",
    "本报告根据《中华人民共和国政府信息公开条例》和国务院办公厅政府信息与政务公开办公室印发的《中华人民共和国政府信息公开工作年度报告格式》要求编制。报告中所列数据的统计期限自{Y}年1月1日起至{Y}年12月31日止。本报告电子版可在{C}人民政府门户网站查阅或下载。如对本报告有疑问，请与{A}党政办公室联系。",
    "{Y}年，{A}在{S}的坚强领导下，在{P}的高度重视下，紧密结合重点工作，认真贯彻落实中央、省、市、县政务公开工作相关文件要求，严格落实政务公开的各项内容，准确、公开、透明发布政府信息，及时回应关切、解疑释惑，依法依规全程公开政府信息，不断提高公开质量和实效。现将落实情况汇报如下：",
    "{Y}年，{A}深入贯彻落实党中央、国务院关于全面推进政务公开工作的决策部署，按照{S}工作要求，以公开为常态、不公开为例外，持续推进决策、执行、管理、服务、结果公开，政府信息公开工作取得了新的进展。",
];

/// (sub-heading, sentence bank). The request-count topic is built separately.
const TOPICS: &[(&str, &[&str])] = &[
    (
        "主动公开情况",
        &[
            "全年通过政府门户网站主动公开政府信息{M}条，其中工作动态{N}条、通知公告{N}条、政策文件{N}条、人事信息{N}条。",
            "围绕“六稳”“六保”、乡村振兴、优化营商环境等重点工作，及时发布相关政策措施和工作进展，累计发布信息{M}条。",
            "严格按照政府信息公开目录要求，对机构职能、领导信息、规划计划、财政预决算等基础信息进行全面梳理和动态更新。",
            "通过政务微信公众号发布信息{M}条，通过政务微博发布信息{N}条，在政务公开栏张贴公告{N}期，多渠道扩大信息覆盖面。",
            "及时公开财政预算决算、“三公”经费等信息，做到应公开尽公开，接受社会监督。",
            "深入推进重大建设项目、公共资源配置、社会公益事业建设等领域信息公开，及时发布项目审批、招标投标、资金使用等信息。",
            "坚持“精准、及时、规范”原则，严格执行保密审查各项制度，确保公开信息内容准确无误。",
        ],
    ),
    (
        "政府信息管理",
        &[
            "严格落实政府信息公开审查机制，坚持“先审查、后公开”和“一事一审”原则，全年未发生失泄密问题。",
            "加强政府信息资源的标准化、信息化管理，对现行有效的行政规范性文件进行全面清理，并在门户网站集中统一公开。",
            "建立健全信息发布审核制度，明确信息采集、审核、发布流程，进一步规范政府信息公开工作。",
            "按照“谁制作、谁公开，谁获取、谁公开”的原则，明确各科室信息公开职责，落实专人负责信息报送工作。",
            "定期对已公开信息进行梳理，及时更新过时信息、纠正错误信息，确保信息的准确性和时效性。",
            "对照国务院有关部门制定的试点领域标准指引，编制完成基层政务公开标准目录，推动政务公开标准化规范化建设。",
        ],
    ),
    (
        "政府信息公开平台建设",
        &[
            "充分发挥政府门户网站第一平台作用，优化栏目设置，完善检索功能，提升网站的易用性和友好性。",
            "加强政务新媒体管理，严格落实信息内容三审三校制度，确保政务新媒体安全平稳运行。",
            "规范设置政务公开专区，配备查阅设备，为群众查阅政府信息、办理相关事项提供便利。",
            "在村（社区）设置政务公开栏{N}处，定期更新公开内容，打通政务公开“最后一公里”。",
            "推动政务服务事项“一网通办”，将政务服务事项全部纳入服务大厅集中办理，实现“一门集中办”。",
            "注重网络安全建设，定期开展网站安全检测，及时消除安全隐患，全年网站运行平稳。",
        ],
    ),
    (
        "监督保障",
        &[
            "成立由主要负责同志任组长、分管负责同志任副组长的政务公开工作领导小组，领导小组下设办公室，负责日常工作。",
            "将政务公开工作纳入年度绩效考核，定期通报工作情况，对发现的问题及时督促整改。",
            "组织开展政务公开业务培训{N}次，参训人员{M}人次，进一步提高工作人员的业务能力。",
            "主动接受社会评议和群众监督，畅通意见建议渠道，认真办理群众反映的问题。",
            "全年未发生因政府信息公开工作引发的责任追究事件。",
        ],
    ),
    (
        "政策解读与回应关切",
        &[
            "坚持政策文件与解读方案、解读材料同步组织、同步审签、同步部署，全年发布政策解读{N}篇。",
            "采用图文解读、视频解读、专家解读等多种形式，提高政策解读的针对性和可读性。",
            "密切关注社会舆情，及时回应群众关切，对群众反映的热点问题做到第一时间发声。",
            "通过“12345”热线、领导信箱等渠道受理群众诉求{M}件，办结率100%。",
            "围绕教育、医疗、就业、社会保障等民生领域，及时发布政策信息，释放积极信号。",
        ],
    ),
    (
        "重点领域信息公开",
        &[
            "扎实做好社会救助、养老服务、就业创业等民生领域信息公开，及时公开低保、特困供养等救助对象信息。",
            "加强乡村振兴领域信息公开，及时公开衔接资金项目安排、资金使用等情况。",
            "做好安全生产、应急管理领域信息公开，及时发布预警信息和应急处置情况。",
            "推进生态环境领域信息公开，及时公开环境监测、环境执法等信息。",
            "坚持做好突发公共卫生事件信息发布工作，有效运用政府网站、政务新媒体，主动回应热点舆情，提升公众的防治意识和应对能力。",
            "推进公共资源配置领域信息公开，及时公开招标投标、政府采购、土地出让等信息。",
        ],
    ),
];

const VERBS: &[&str] = &[
    "进一步加强",
    "持续深化",
    "扎实推进",
    "不断完善",
    "全面落实",
    "认真做好",
    "切实抓好",
    "稳步推进",
    "着力提升",
    "积极探索",
    "统筹推进",
    "大力推动",
];
const OBJECTS: &[&str] = &[
    "政务公开标准化规范化建设",
    "政府信息公开目录编制工作",
    "政务新媒体规范管理",
    "政策解读和回应关切工作",
    "基层政务公开工作",
    "政府网站内容保障工作",
    "依申请公开答复工作",
    "政务公开队伍建设",
    "重点领域信息公开工作",
    "政务服务事项公开",
    "财政资金信息公开",
    "行政执法公示工作",
    "公共企事业单位信息公开",
    "政府信息公开保密审查",
    "村务公开监督指导",
];
const MEASURES: &[&str] = &[
    "建立健全工作台账，明确责任分工和完成时限",
    "定期开展自查自纠，对发现的问题建立清单、逐项整改",
    "加强与上级部门的沟通衔接，及时学习先进经验做法",
    "细化工作流程，压实各科室和各村（社区）的工作责任",
    "充分利用网站、公开栏、微信群等多种载体",
    "组织工作人员集中学习《条例》及相关文件",
    "对公开内容进行分类梳理和动态更新",
    "完善信息发布协调机制，加强部门之间的信息共享",
    "严格落实信息发布审核制度",
    "把政务公开工作与业务工作同部署、同推进、同落实",
];
const EFFECTS: &[&str] = &[
    "政务公开工作质效明显提升",
    "群众的知晓度和满意度不断提高",
    "政府工作透明度进一步增强",
    "有效保障了人民群众的知情权和监督权",
    "为各项工作顺利开展营造了良好氛围",
    "公开工作的规范化水平持续提高",
    "信息发布的及时性和准确性得到有效保障",
    "政府公信力和执行力进一步增强",
];

const PROBLEMS: &[&str] = &[
    "{Y}年本单位政府信息公开工作取得了一定成绩，但仍存在着一些问题和困难，主要是：信息公开工作规范性有待进一步加强；主动向社会公开信息的领域有待进一步拓展；信息公开工作机制有待进一步完善。",
    "对照上级要求，我单位政府信息公开工作还存在一些不足：一是信息公开的深度和广度不够，部分领域信息更新不够及时；二是政策解读形式较为单一，解读质量有待提高；三是工作人员业务能力有待进一步提升。",
    "一年来，我们虽然在政府信息公开工作方面取得了一定成效，但与上级要求和群众期盼相比还有一定差距，主要表现在：公开内容不够全面，部分栏目更新不及时；回应群众关切的主动性还需增强。",
];

const IMPROVE: &[&str] = &[
    "下一步，{A}将重点做好以下工作：一是强化组织领导。建立以主要负责同志为组长的政府信息公开领导小组，对政府信息公开工作进行综合领导和监督。二是强化公开意识。加强对全体干部职工的培训，增强自觉进行信息公开的意识。三是强化工作落实。健全完善各项相关规章制度，狠抓工作落实，及时更新门户网站上政府信息公开平台的内容，方便公众查询。",
    "针对存在的问题，我们将采取以下措施加以改进：一是加大公开力度，拓展公开领域，及时准确公开群众关心关注的信息；二是丰富解读形式，提高解读质量；三是加强业务培训，提高工作人员的业务水平，推动政府信息公开工作再上新台阶。",
    "下步工作中，一是强化组织领导，由{R}同志牵头负责政府信息公开工作，明确责任人，具体负责政府信息公开工作有关事宜；二是强化学习培训，通过组织集中学习等活动，学习上级关于政府信息公开工作的规定和政策；三是强化工作落实，进一步提高政务公开的针对性、实效性，让群众看得到、听得懂、易获取、能监督、好参与。",
];

const OTHER: &[&str] = &[
    "无。",
    "无",
    "本年度未收取信息处理费。",
    "依据国务院办公厅《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）规定的按件、按量收费标准，本年度未收取任何信息处理费。",
    "全年共承办人大代表建议{N}件、政协委员提案{N}件，均已按时办结并按要求公开办理结果。本年度未收取信息处理费。",
];

fn generic_sentence(rng: &mut Rng) -> String {
    format!(
        "{}{}，{}，{}。",
        rng.pick(VERBS),
        rng.pick(OBJECTS),
        rng.pick(MEASURES),
        rng.pick(EFFECTS)
    )
}

/// Archive mode: a sentence about this office's own year (who went where,
/// about what), so independent years do not share their prose.
fn event_sentence(rng: &mut Rng) -> String {
    const CH: &[&str] = &[
        "桃", "李", "杏", "槐", "榆", "柏", "松", "竹", "梅", "杨", "柳", "枫", "石", "岭", "坪",
        "溪", "泉", "塘", "坝", "湾", "岗", "屯", "营", "铺", "店", "集", "桥", "口", "庄", "园",
    ];
    const WHAT: &[&str] = &[
        "调研",
        "督导",
        "检查",
        "走访",
        "座谈",
        "宣讲",
        "现场办公",
        "专题培训",
    ];
    let village = format!(
        "{}{}{}",
        rng.pick(CH),
        rng.pick(CH),
        rng.pick(&["村", "社区", "组"])
    );
    format!(
        "{}月，{}同志带队赴{}{}{}，听取{}等群众代表意见，现场协调解决{}等事项。",
        rng.range(1, 12),
        NameSource::person(rng),
        village,
        rng.pick(WHAT),
        rng.pick(OBJECTS),
        NameSource::person(rng),
        rng.pick(MEASURES).split('，').next().unwrap_or("")
    )
}

/// A paragraph of `k` sentences drawn from `bank` (no repeats) plus generic ones.
fn paragraph(rng: &mut Rng, r: &Report, bank: &[&str], k: usize) -> String {
    let mut idx: Vec<usize> = (0..bank.len()).collect();
    rng.shuffle(&mut idx);
    let mut p = String::new();
    for i in idx.iter().take(k) {
        p.push_str(&fill(rng, r, bank[*i]));
    }
    if rng.chance(0.5) {
        p.push_str(&generic_sentence(rng));
    }
    p
}

/// The sentence stating the request count, or None.
pub fn count_sentence(rng: &mut Rng, r: &Report) -> Option<String> {
    let a = &r.agency.name;
    let y = r.year;
    let np = r.req[ROW_NEW][0];
    let org = r.req[ROW_NEW][TOTAL] - np;
    let rv = r.rev[0][4];
    Some(match &r.narr {
        Narr::Absent => return None,
        Narr::NotReceived => match rng.below(4) {
            0 => format!("{y}年，{a}未收到政府信息公开申请。"),
            1 => format!("{y}年，未收到要求{a}政府信息公开内容的申请，未发生针对{a}政府信息公开事务的行政复议案件。"),
            2 => format!("本年度{a}未收到依申请公开政府信息的申请，无因政府信息公开引发的行政复议和行政诉讼。"),
            _ => "全年未收到政府信息公开申请，也未发生政府信息公开收费及减免情况。".to_string(),
        },
        Narr::Count(n) => match rng.below(5) {
            0 => format!("{y}年，{a}共收到政府信息公开申请{n}件，均已在法定期限内予以答复。"),
            1 => format!("全年共收到政府信息公开申请{n}件，其中自然人申请{np}件，法人或其他组织申请{org}件，均依法依规予以答复。"),
            2 => format!("本年度共受理政府信息公开申请{n}件，按时办结率100%。全年发生政府信息公开行政复议案件{rv}件。"),
            3 => format!("严格按照《条例》规定的程序和时限办理依申请公开事项，{y}年共收到政府信息公开申请{n}件。"),
            _ => format!("{y}年，{a}共收到政府信息公开申请{n}件，已全部按照法定程序办理。"),
        },
        Narr::WithCarry { stated, carried } => {
            format!("{y}年，{a}共受理政府信息公开申请{stated}件（含上年结转{carried}件），均依法依规予以答复。")
        }
    })
}

/// Builds the narrative. `pad_bytes` asks for roughly that many extra bytes
/// of overview paragraphs (UTF-8), on top of the usual length.
pub fn build(rng: &mut Rng, r: &Report, pad_bytes: usize) -> Narrative {
    // Archive mode: a text shared with another report (last year's, or the
    // other copy of this one) comes from its own stream, and the count
    // sentence from a side stream, so the shared text does not depend on
    // this year's numbers.
    let mut own;
    let mut side;
    let (rng, pad_bytes, count_rng) = match r.archive.text_seed {
        Some(seed) => {
            own = Rng::new(seed);
            side = Rng::new(seed ^ 0x5bd1_e995_u64.wrapping_mul(r.year as u64 + 1));
            (&mut own, r.archive.text_pad, Some(&mut side))
        }
        None => (rng, pad_bytes, None),
    };
    // Archive mode: every office writes some prose of its own (~800
    // characters) beyond the shared sentence banks; a bank-only text would
    // repeat half of any other year's by construction.
    let pad_bytes = if r.archive.enabled {
        pad_bytes.max(2400)
    } else {
        pad_bytes
    };
    let opening_year = if r.archive.stale_year {
        r.year - 1
    } else {
        r.year
    };
    let mut n = Narrative::default();
    n.intro.push({
        let t = *rng.pick(OPENINGS);
        fill_year(rng, r, t, opening_year)
    });
    // Sub-topics: the request topic plus 2–5 others.
    let mut order: Vec<usize> = (0..TOPICS.len()).collect();
    rng.shuffle(&mut order);
    let ntop = rng.range(2, 5) as usize;
    let mut topics: Vec<(String, Vec<String>)> = Vec::new();
    for t in order.iter().take(ntop) {
        let (h, bank) = TOPICS[*t];
        let k = rng.range(2, 4) as usize;
        topics.push((h.to_string(), vec![paragraph(rng, r, bank, k)]));
    }
    // The request topic, at position 1 or 2 (or last).
    let mut req_par = String::new();
    let sent = match count_rng {
        Some(side) => count_sentence(side, r),
        None => count_sentence(rng, r),
    };
    if let Some(sent) = sent {
        req_par.push_str(&sent);
    }
    req_par.push_str(&{
        let t = *rng.pick(&[
            "严格按照《条例》规定的程序和时限办理政府信息公开申请，做到依法答复、规范答复。",
            "进一步规范依申请公开工作流程，完善受理、审查、答复等各环节工作要求。",
            "畅通依申请公开渠道，在门户网站公布依申请公开受理机构、联系电话和通讯地址。",
        ]);
        fill(rng, r, t)
    });
    let pos = (rng.below(topics.len() as u64 + 1) as usize).min(2);
    topics.insert(pos, ("依申请公开情况".to_string(), vec![req_par]));
    // Padding: more paragraphs on the existing topics.
    let mut size: usize = topics
        .iter()
        .map(|t| t.1.iter().map(|p| p.len()).sum::<usize>())
        .sum();
    let target = size + pad_bytes;
    let mut guard = 0;
    while size < target && guard < 400 {
        guard += 1;
        let ti = rng.below(topics.len() as u64) as usize;
        let bank = TOPICS
            .iter()
            .find(|t| t.0 == topics[ti].0)
            .map(|t| t.1)
            .unwrap_or(TOPICS[0].1);
        let mut p = String::new();
        for _ in 0..rng.range(1, 3) {
            if r.archive.enabled {
                p.push_str(&event_sentence(rng));
            } else {
                p.push_str(&generic_sentence(rng));
            }
        }
        // Archive mode: padding is the office's own prose, not more of the
        // shared bank (independent years would otherwise share most of it).
        if rng.chance(0.5) && !r.archive.enabled {
            p.push_str(&{
                let t = *rng.pick(bank);
                fill(rng, r, t)
            });
        }
        size += p.len();
        topics[ti].1.push(p);
    }
    // Sub-topic headings per style.
    let cn = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
    for (i, (h, mut ps)) in topics.into_iter().enumerate() {
        match r.style.subtopics {
            SubTopics::Yishi => {
                // "一是…" folded into the first paragraph, no heading.
                let first = ps.remove(0);
                let lead = format!("{}是{}。", cn[i.min(9)], h.trim_end_matches("情况"));
                ps.insert(0, format!("{lead}{first}"));
                n.topics.push((None, ps));
            }
            SubTopics::Paren => {
                n.topics
                    .push((Some(format!("{}{}", r.style.paren(cn[i.min(9)]), h)), ps));
            }
            SubTopics::TopLike => {
                n.topics
                    .push((Some(format!("{}、{}", cn[i.min(9)], h)), ps));
            }
        }
    }
    if rng.chance(0.5) {
        n.active_intro = Some(format!(
            "{}{}年主动公开政府信息情况如下：",
            r.agency.name, r.year
        ));
    }
    if rng.chance(0.3) {
        n.requests_intro = Some("本年度收到和处理政府信息公开申请情况详见下表。".to_string());
    }
    if rng.chance(0.2) {
        n.review_intro = Some(format!(
            "{}年，因政府信息公开工作被申请行政复议、提起行政诉讼情况如下：",
            r.year
        ));
    }
    n.problems.push({
        let t = *rng.pick(PROBLEMS);
        fill(rng, r, t)
    });
    n.problems.push({
        let t = *rng.pick(IMPROVE);
        fill(rng, r, t)
    });
    n.other.push({
        let t = *rng.pick(OTHER);
        fill(rng, r, t)
    });
    n.closing.push(r.agency.name.clone());
    n.closing.push(format!(
        "{}年{}月{}日",
        r.year + 1,
        rng.range(1, 3),
        rng.range(1, 28)
    ));
    n
}

/// The heading text of section `i` (0..6), with its number, per style.
pub fn section_heading(r: &Report, i: usize) -> Option<String> {
    let text = match i {
        3 => SECTION4_VARIANTS[r.style.sec4],
        4 => SECTION5_VARIANTS[r.style.sec5],
        _ => SECTIONS[i].1,
    };
    if r.style.renumbered {
        if i == 0 {
            None
        } else {
            Some(format!("{}、{}", CN_NUM[i], text))
        }
    } else {
        Some(format!("{}、{}", CN_NUM[i + 1], text))
    }
}

/// The heading text without its number (for Word auto-numbering).
pub fn section_text(r: &Report, i: usize) -> &'static str {
    match i {
        3 => SECTION4_VARIANTS[r.style.sec4],
        4 => SECTION5_VARIANTS[r.style.sec5],
        _ => SECTIONS[i].1,
    }
}

pub fn title(r: &Report) -> String {
    let name = r.archive.title_name.as_ref().unwrap_or(&r.agency.name);
    format!("{}{}年政府信息公开工作年度报告", name, r.year)
}

/// Extra filler sentences for site chrome (news headlines).
pub fn headline(rng: &mut Rng, r: &Report) -> String {
    const H: &[&str] = &[
        "{C}召开全市政务公开工作推进会",
        "关于印发《{A}政务公开工作要点》的通知",
        "{A}开展安全生产大检查",
        "{C}{Y}年国民经济和社会发展统计公报",
        "关于公布{A}权责清单的通知",
        "{A}召开乡村振兴工作专题会议",
        "{C}人民政府关于调整部分行政许可事项的决定",
        "{A}{Y}年部门预算公开说明",
        "关于开展{Y}年度政务公开第三方评估的通知",
        "{A}组织开展防汛应急演练",
        "{C}优化营商环境若干措施政策解读",
        "{A}{Y}年财政决算公开",
        "关于征求《{C}养老服务条例（草案）》意见的公告",
        "{A}积极开展文明城市创建工作",
    ];
    let t = *rng.pick(H);
    fill(rng, r, t)
}
