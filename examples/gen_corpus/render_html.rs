//! Whole scraped government web pages: site chrome (navigation, breadcrumb,
//! sidebars, link tables, footer, scripts) around the report; UTF-8 or GBK
//! (with or without a charset declaration); sometimes the report inside a
//! one-cell layout table; `<th>` header cells; text split over spans.

use std::fmt::Write as _;

use super::grid::{self, Block, Grid, Kind};
use super::model::{Encoding, HtmlOpts, Report};
use super::narrative::{self, Narrative};
use super::rng::Rng;

fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '&' => o.push_str("&amp;"),
            '"' => o.push_str("&quot;"),
            c => o.push(c),
        }
    }
    o
}

/// Byte length in the output encoding (GBK: 2 bytes per non-ASCII char).
fn enc_len(s: &str, gbk: bool) -> usize {
    if gbk {
        s.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
    } else {
        s.len()
    }
}

const FONTS: &[&str] = &["仿宋_GB2312", "仿宋", "宋体", "微软雅黑", "FangSong"];

/// Text, maybe split over several spans at random character boundaries.
fn spans(rng: &mut Rng, text: &str, split: bool, font: &str) -> String {
    if !split || text.chars().count() < 8 {
        return esc(text);
    }
    let chars: Vec<char> = text.chars().collect();
    let k = rng.range(2, 4) as usize;
    let mut cuts: Vec<usize> = (0..k - 1)
        .map(|_| 1 + rng.below(chars.len() as u64 - 1) as usize)
        .collect();
    cuts.sort();
    cuts.dedup();
    let mut o = String::new();
    let mut prev = 0;
    for c in cuts.into_iter().chain([chars.len()]) {
        let piece: String = chars[prev..c].iter().collect();
        let _ = write!(
            o,
            "<span style=\"font-family:{font};font-size:16pt\">{}</span>",
            esc(&piece)
        );
        prev = c;
    }
    o
}

fn paragraph(
    rng: &mut Rng,
    o: &HtmlOpts,
    out: &mut String,
    text: &str,
    font: &str,
    style_kind: u64,
) {
    let body = spans(rng, text, o.spans, font);
    match style_kind {
        0 => {
            let _ = write!(
                out,
                "<p style=\"text-indent:2em;line-height:1.75em;\">{body}</p>\n"
            );
        }
        1 => {
            let _ = write!(out, "<p>&nbsp;&nbsp;&nbsp;&nbsp;{body}</p>\n");
        }
        2 => {
            let _ = write!(out, "<p class=\"MsoNormal\" style=\"text-indent:32pt;mso-char-indent-count:2.0\">\u{3000}\u{3000}{body}</p>\n");
        }
        _ => {
            let _ = write!(out, "<div style=\"text-indent:2em\">{body}</div>\n");
        }
    }
}

fn heading(out: &mut String, text: &str, kind: u64) {
    match kind {
        0 => {
            let _ = write!(
                out,
                "<p style=\"text-indent:2em\"><strong>{}</strong></p>\n",
                esc(text)
            );
        }
        1 => {
            let _ = write!(out, "<h3>{}</h3>\n", esc(text));
        }
        _ => {
            let _ = write!(
                out,
                "<p style=\"text-indent:2em\"><span style=\"font-family:黑体;font-size:16pt\">{}</span></p>\n",
                esc(text)
            );
        }
    }
}

fn table(rng: &mut Rng, o: &HtmlOpts, out: &mut String, g: &Grid) {
    let attrs = match rng.below(3) {
        0 => "border=\"1\" cellspacing=\"0\" cellpadding=\"0\" style=\"border-collapse:collapse;width:100%\"",
        1 => "class=\"MsoNormalTable\" border=\"1\" cellspacing=\"0\" cellpadding=\"0\" width=\"600\" style=\"border-collapse:collapse;border:none\"",
        _ => "width=\"100%\" border=\"1\" align=\"center\"",
    };
    let _ = write!(out, "<table {attrs}>\n<tbody>\n");
    for row in &g.rows {
        out.push_str("<tr>");
        for c in row {
            let tag = if o.th_headers && c.kind == Kind::Head {
                "th"
            } else {
                "td"
            };
            out.push('<');
            out.push_str(tag);
            if c.rs > 1 {
                let _ = write!(out, " rowspan=\"{}\"", c.rs);
            }
            if c.cs > 1 {
                let _ = write!(out, " colspan=\"{}\"", c.cs);
            }
            out.push_str(" style=\"border:solid windowtext 1px;padding:0 5px\"");
            out.push('>');
            let text = if c.text.is_empty() {
                "&nbsp;".to_string()
            } else {
                esc(&c.text)
            };
            if c.kind == Kind::Value {
                let _ = write!(
                    out,
                    "<p style=\"text-align:center\"><span>{text}</span></p>"
                );
            } else {
                let _ = write!(out, "<p><span>{text}</span></p>");
            }
            let _ = write!(out, "</{tag}>");
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
}

fn report_body(rng: &mut Rng, r: &Report, o: &HtmlOpts, n: &Narrative) -> String {
    let font = *rng.pick(FONTS);
    let pstyle = rng.below(4);
    let hstyle = rng.below(3);
    let mut out = String::new();
    if rng.chance(0.5) {
        let _ = write!(
            out,
            "<p style=\"text-align:center\"><strong><span style=\"font-size:22pt\">{}</span></strong></p>\n",
            esc(&narrative::title(r))
        );
    }
    for i in 0..6 {
        if let Some(h) = narrative::section_heading(r, i) {
            heading(&mut out, &h, hstyle);
        }
        match i {
            0 => {
                for p in &n.intro {
                    paragraph(rng, o, &mut out, p, font, pstyle);
                }
                for (h, ps) in &n.topics {
                    if let Some(h) = h {
                        heading(&mut out, h, hstyle);
                    }
                    for p in ps {
                        paragraph(rng, o, &mut out, p, font, pstyle);
                    }
                }
            }
            1..=3 => {
                let intro = match i {
                    1 => &n.active_intro,
                    2 => &n.requests_intro,
                    _ => &n.review_intro,
                };
                if let Some(p) = intro {
                    paragraph(rng, o, &mut out, p, font, pstyle);
                }
                let blocks = match i {
                    1 => grid::active_blocks(r),
                    2 => grid::requests_blocks(r),
                    _ => grid::review_blocks(r),
                };
                for b in &blocks {
                    match b {
                        Block::Table(g) => table(rng, o, &mut out, g),
                        Block::Line(l) => {
                            let _ = write!(out, "<p style=\"text-align:center\">{}</p>\n", esc(l));
                        }
                    }
                }
            }
            4 => {
                for p in &n.problems {
                    paragraph(rng, o, &mut out, p, font, pstyle);
                }
            }
            _ => {
                for p in &n.other {
                    paragraph(rng, o, &mut out, p, font, pstyle);
                }
            }
        }
    }
    for l in &n.closing {
        let _ = write!(out, "<p style=\"text-align:right\">{}</p>\n", esc(l));
    }
    out
}

fn site_name(r: &Report) -> String {
    match &r.agency.county {
        Some(c) => format!("{c}人民政府"),
        None => format!("{}人民政府", r.agency.city),
    }
}

const NAV: &[&str] = &[
    "首页",
    "政务公开",
    "政务服务",
    "互动交流",
    "走进",
    "新闻中心",
    "专题专栏",
    "政府信息公开",
    "数据开放",
    "政策文件",
    "政策解读",
    "办事指南",
    "领导之窗",
];

fn link_list(rng: &mut Rng, r: &Report, title: &str, n: usize) -> String {
    let mut o = String::new();
    let _ = write!(o, "<div class=\"side-box\">\n<div class=\"side-title\"><h3>{title}</h3><a href=\"/col/col{}/index.html\" class=\"more\">更多&gt;&gt;</a></div>\n<ul class=\"list\">\n", rng.range(1000, 99999));
    for _ in 0..n {
        let h = narrative::headline(rng, r);
        let y = r.year + rng.below(2) as u32;
        let m = rng.range(1, 12);
        let d = rng.range(1, 28);
        let _ = write!(
            o,
            "<li><a href=\"/art/{y}/{m}/{d}/art_{}_{}.html\" title=\"{h}\" target=\"_blank\">{h}</a><span class=\"date\">{y}-{m:02}-{d:02}</span></li>\n",
            rng.range(1000, 9999),
            rng.range(100000, 9999999),
        );
    }
    o.push_str("</ul>\n</div>\n");
    o
}

fn link_table(rng: &mut Rng, r: &Report) -> String {
    let mut o = String::from("<table class=\"xxgk-links\" width=\"100%\" border=\"0\" cellspacing=\"0\" cellpadding=\"0\">\n");
    o.push_str("<tr><td>索引号：</td><td>");
    let _ = write!(
        o,
        "{}/{}-{:05}",
        rng.range(11_000_000, 99_999_999),
        r.year + 1,
        rng.range(1, 99999)
    );
    o.push_str("</td><td>发布机构：</td><td>");
    o.push_str(&esc(&r.agency.name));
    o.push_str("</td></tr>\n<tr><td>公开方式：</td><td>主动公开</td><td>公开范围：</td><td>全部公开</td></tr>\n");
    for _ in 0..rng.range(2, 5) {
        o.push_str("<tr>");
        for _ in 0..2 {
            let h = narrative::headline(rng, r);
            let _ = write!(
                o,
                "<td colspan=\"2\"><a href=\"/art/{}/{}.html\">{}</a></td>",
                r.year,
                rng.range(10000, 99999),
                esc(&h)
            );
        }
        o.push_str("</tr>\n");
    }
    o.push_str("</table>\n");
    o
}

const CSS: &str = "body{margin:0;padding:0;font-size:14px;font-family:\"Microsoft YaHei\",\"微软雅黑\",SimSun,sans-serif;color:#333}\n\
a{color:#333;text-decoration:none}a:hover{color:#c00}\n\
.top{height:40px;background:#f5f5f5;border-bottom:1px solid #ddd}\n\
.header{height:140px;background:url(/images/banner.jpg) no-repeat center}\n\
.nav{height:48px;background:#1a5fb4}.nav li{float:left;width:120px;text-align:center;line-height:48px}\n\
.nav li a{color:#fff;font-size:16px}\n\
.position{line-height:40px;border-bottom:1px dashed #ccc}\n\
.article{width:1000px;margin:20px auto;background:#fff}\n\
.article h1{font-size:24px;text-align:center;line-height:40px}\n\
.info{text-align:center;color:#888;border-bottom:1px solid #eee;padding-bottom:10px}\n\
.content{font-size:16px;line-height:32px;padding:20px 40px}\n\
.content table{margin:0 auto}\n\
.side-box{margin-top:15px;border:1px solid #e5e5e5}.side-title{height:36px;background:#f0f4fa}\n\
.list li{line-height:30px;border-bottom:1px dotted #ddd}.list li .date{float:right;color:#999}\n\
.footer{background:#1a5fb4;color:#fff;text-align:center;line-height:28px;padding:20px 0}\n";

const SCRIPT: &str = "<script type=\"text/javascript\">\n\
var _hmt = _hmt || [];\n(function() {\n  var hm = document.createElement(\"script\");\n  hm.src = \"https://hm.example.gov.cn/hm.js?";
const SCRIPT_END: &str = "\";\n  var s = document.getElementsByTagName(\"script\")[0];\n  s.parentNode.insertBefore(hm, s);\n})();\n\
function doZoom(size){var el=document.getElementById('zoom');if(!el){return;}el.style.fontSize=size+'px';}\n\
function printPage(){window.print();}\n</script>\n";

pub fn render(rng: &mut Rng, r: &Report, o: &HtmlOpts) -> Vec<u8> {
    let gbk = o.encoding != Encoding::Utf8;
    // The report text itself takes a share of the target; chrome fills the rest.
    let pad = (rng.below((o.target_bytes / 4) as u64 + 1) as usize).min(30_000);
    let pad = if gbk { pad * 3 / 2 } else { pad };
    let n = narrative::build(rng, r, pad);
    let body = report_body(rng, r, o, &n);
    let site = site_name(r);
    let title = narrative::title(r);

    let mut head = String::new();
    head.push_str(if rng.chance(0.5) {
        "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\" \"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd\">\n<html xmlns=\"http://www.w3.org/1999/xhtml\">\n"
    } else {
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n"
    });
    head.push_str("<head>\n");
    match o.encoding {
        Encoding::Utf8 => head.push_str(if rng.chance(0.5) {
            "<meta charset=\"utf-8\">\n"
        } else {
            "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\" />\n"
        }),
        Encoding::GbkMeta(label) => {
            let _ = write!(
                head,
                "<meta http-equiv=\"Content-Type\" content=\"text/html; charset={label}\" />\n"
            );
        }
        Encoding::GbkNoMeta => {}
    }
    let _ = write!(head, "<title>{}_{}</title>\n", esc(&title), esc(&site));
    let _ = write!(
        head,
        "<meta name=\"keywords\" content=\"{},政府信息公开,年度报告\" />\n",
        esc(&r.agency.name)
    );
    let _ = write!(head, "<meta name=\"SiteName\" content=\"{}\" />\n<meta name=\"ColumnName\" content=\"政府信息公开年报\" />\n<meta name=\"ArticleTitle\" content=\"{}\" />\n", esc(&site), esc(&title));
    head.push_str("<link rel=\"stylesheet\" type=\"text/css\" href=\"/css/common.css\" />\n<style type=\"text/css\">\n");
    head.push_str(CSS);
    head.push_str("</style>\n</head>\n<body>\n");

    let mut top = String::new();
    let _ = write!(top, "<div class=\"top\"><div class=\"wrap\"><span>欢迎访问{}门户网站</span><a href=\"/\">无障碍浏览</a> | <a href=\"/\">长者模式</a> | <a href=\"/\">English</a></div></div>\n", esc(&site));
    let _ = write!(top, "<div class=\"header\"><div class=\"logo\"><a href=\"/\"><img src=\"/images/logo.png\" alt=\"{}\" /></a></div><div class=\"search\"><form action=\"/jsearch/search.do\" method=\"get\"><input type=\"text\" name=\"q\" placeholder=\"请输入关键字\" /><input type=\"submit\" value=\"搜索\" /></form></div></div>\n", esc(&site));
    top.push_str("<div class=\"nav\"><ul>\n");
    for (i, item) in NAV.iter().enumerate() {
        let label = if *item == "走进" {
            format!(
                "走进{}",
                r.agency.county.as_deref().unwrap_or(&r.agency.city)
            )
        } else {
            item.to_string()
        };
        let _ = write!(
            top,
            "<li><a href=\"/col/col{}/index.html\">{}</a></li>\n",
            1000 + i * 37,
            esc(&label)
        );
    }
    top.push_str("</ul></div>\n");
    let _ = write!(top, "<div class=\"position\">当前位置：<a href=\"/\">首页</a> &gt; <a href=\"/col/col1001/index.html\">政务公开</a> &gt; <a href=\"/col/col1002/index.html\">政府信息公开</a> &gt; <a href=\"/col/col1003/index.html\">政府信息公开年报</a></div>\n");

    let mut article = String::new();
    article.push_str("<div class=\"article\">\n");
    if o.link_table_before {
        article.push_str(&link_table(rng, r));
    }
    let _ = write!(article, "<h1>{}</h1>\n", esc(&title));
    let _ = write!(
        article,
        "<div class=\"info\">发布时间：{}-{:02}-{:02} &nbsp;&nbsp; 来源：{} &nbsp;&nbsp; 浏览次数：<span id=\"hits\">{}</span> &nbsp;&nbsp; 【字体：<a href=\"javascript:doZoom(20)\">大</a> <a href=\"javascript:doZoom(16)\">中</a> <a href=\"javascript:doZoom(14)\">小</a>】</div>\n",
        r.year + 1,
        rng.range(1, 3),
        rng.range(1, 28),
        esc(&r.agency.name),
        rng.range(10, 5000)
    );
    article.push_str("<div class=\"content\" id=\"zoom\">\n");
    if o.layout_table {
        article.push_str(
            "<table width=\"100%\" border=\"0\" cellspacing=\"0\" cellpadding=\"0\"><tr><td>\n",
        );
        article.push_str(&body);
        article.push_str("</td></tr></table>\n");
    } else {
        article.push_str(&body);
    }
    article.push_str("</div>\n<div class=\"print\"><a href=\"javascript:printPage()\">【打印本页】</a> <a href=\"javascript:window.close()\">【关闭窗口】</a></div>\n</div>\n");

    let mut foot = String::new();
    let _ = write!(
        foot,
        "<div class=\"footer\"><p>主办单位：{}办公室 &nbsp; 承办单位：{}大数据中心</p><p>网站标识码：{} &nbsp; <a href=\"https://beian.miit.gov.cn/\">ICP备{}号-1</a> &nbsp; 公网安备 {}号</p><p>版权所有 &copy; {} 联系电话：0{}-{}</p></div>\n",
        esc(&site),
        esc(&r.agency.city),
        rng.range(1_000_000_000, 9_999_999_999),
        rng.range(10_000_000, 99_999_999),
        rng.range(10_000_000_000_000, 99_999_999_999_999),
        esc(&site),
        rng.range(300, 999),
        rng.range(1_000_000, 9_999_999),
    );
    let mut script = String::from(SCRIPT);
    let _ = write!(
        script,
        "{:032x}",
        rng.next_u64() as u128 * rng.next_u64() as u128
    );
    script.push_str(SCRIPT_END);
    script.push_str("</body>\n</html>\n");

    // Sidebar link lists fill the page up to the target size.
    let fixed = enc_len(&head, gbk)
        + enc_len(&top, gbk)
        + enc_len(&article, gbk)
        + enc_len(&foot, gbk)
        + enc_len(&script, gbk);
    let mut side = String::new();
    let boxes = [
        "热点信息",
        "最新动态",
        "政策解读",
        "通知公告",
        "部门动态",
        "乡镇动态",
        "图片新闻",
        "专题专栏",
    ];
    let mut bi = 0;
    while fixed + enc_len(&side, gbk) < o.target_bytes {
        let title = boxes[bi % boxes.len()];
        bi += 1;
        let n = ((o.target_bytes - fixed - enc_len(&side, gbk)) / 220).clamp(1, 12);
        side.push_str(&link_list(rng, r, title, n));
    }
    let side_first = rng.chance(0.3);
    let mut page = String::with_capacity(o.target_bytes + 4096);
    page.push_str(&head);
    page.push_str(&top);
    page.push_str("<div class=\"main\">\n");
    if side_first {
        let _ = write!(page, "<div class=\"sidebar\">\n{side}</div>\n");
        page.push_str(&article);
    } else {
        page.push_str(&article);
        let _ = write!(page, "<div class=\"sidebar\">\n{side}</div>\n");
    }
    page.push_str("</div>\n");
    page.push_str(&foot);
    page.push_str(&script);
    if gbk {
        gbk_encode(&page)
    } else {
        page.into_bytes()
    }
}

/// GBK code of every BMP character (0 when unmappable or not two bytes),
/// built once from encoding_rs: table lookups are much faster than
/// encoding_rs's per-character search, with identical output.
fn gbk_table() -> &'static [u16] {
    static T: std::sync::OnceLock<Vec<u16>> = std::sync::OnceLock::new();
    T.get_or_init(|| {
        let mut t = vec![0u16; 0x10000];
        for cp in 0x80u32..0x10000 {
            if let Some(c) = char::from_u32(cp) {
                let mut buf = [0u8; 4];
                let (b, _, unmappable) = encoding_rs::GBK.encode(c.encode_utf8(&mut buf));
                if !unmappable && b.len() == 2 {
                    t[cp as usize] = u16::from_be_bytes([b[0], b[1]]);
                }
            }
        }
        t
    })
}

fn gbk_encode(s: &str) -> Vec<u8> {
    let t = gbk_table();
    let mut out = Vec::with_capacity(s.len());
    for c in s.chars() {
        let cp = c as u32;
        if cp < 0x80 {
            out.push(cp as u8);
        } else if cp < 0x10000 && t[cp as usize] != 0 {
            out.extend_from_slice(&t[cp as usize].to_be_bytes());
        } else {
            let mut buf = [0u8; 4];
            let (b, _, _) = encoding_rs::GBK.encode(c.encode_utf8(&mut buf));
            out.extend_from_slice(&b);
        }
    }
    out
}
