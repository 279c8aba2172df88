//! Charts drawn on the server as SVG: no script, readable on paper, sized for a 360 px phone
//! (the drawing is 360 units wide and scales with the page). Every mark carries its value
//! (`data-value`, and a `<title>` for a tooltip), and every chart comes with the table of the
//! same numbers for the "show data" link.

use serde::Serialize;
use std::fmt::Write;

const W: f64 = 360.0;
const H: f64 = 200.0;
const LEFT: f64 = 44.0;
const RIGHT: f64 = 30.0;
const TOP: f64 = 22.0;
const BOTTOM: f64 = 30.0;

/// Text made safe for XML (element text and attribute values).
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// One series: its name (in the reader's language), its values (none: no data), and the CSS
/// class that colours it.
pub struct Series {
    pub name: String,
    pub values: Vec<Option<f64>>,
    pub class: &'static str,
}

/// A chart for the page: the drawing and its data table.
#[derive(Debug, Clone, Serialize)]
pub struct Chart {
    pub id: String,
    pub title: String,
    pub svg: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

fn nice_max(v: f64) -> f64 {
    if v <= 0.0 {
        return 1.0;
    }
    let p = 10f64.powf(v.log10().floor());
    for m in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if v <= m * p {
            return m * p;
        }
    }
    10.0 * p
}

fn open(out: &mut String, title: &str) {
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {W} {H}\" class=\"chart\" \
         role=\"img\" aria-label=\"{t}\"><title>{t}</title>",
        t = esc(title)
    );
}

fn legend(out: &mut String, items: &[(&str, &str)]) {
    let mut x = LEFT;
    for (name, class) in items {
        let _ = write!(
            out,
            "<rect x=\"{x}\" y=\"4\" width=\"10\" height=\"10\" class=\"{class}\"/>\
             <text x=\"{}\" y=\"13\" class=\"legend\">{}</text>",
            x + 13.0,
            esc(name)
        );
        x += 22.0 + 6.5 * name.chars().count() as f64;
    }
}

/// Grouped bars per label (left axis, formatted by `fmt`), with an optional line on a
/// 0–100 % right axis.
pub fn bars(
    title: &str,
    labels: &[String],
    bars: &[Series],
    line: Option<&Series>,
    fmt: &dyn Fn(f64) -> String,
) -> String {
    let mut out = String::new();
    open(&mut out, title);
    let mut items: Vec<(&str, &str)> = bars.iter().map(|s| (s.name.as_str(), s.class)).collect();
    if let Some(l) = line {
        items.push((l.name.as_str(), l.class));
    }
    legend(&mut out, &items);
    let max = nice_max(
        bars.iter()
            .flat_map(|s| s.values.iter().flatten())
            .fold(0.0, |a: f64, b| a.max(*b)),
    );
    let (plot_w, plot_h) = (W - LEFT - RIGHT, H - TOP - BOTTOM);
    let y = |v: f64| TOP + plot_h * (1.0 - v / max);
    // axis and two gridlines
    for k in 0..=2 {
        let v = max * k as f64 / 2.0;
        let _ = write!(
            out,
            "<line x1=\"{LEFT}\" x2=\"{}\" y1=\"{y:.1}\" y2=\"{y:.1}\" class=\"grid\"/>\
             <text x=\"{}\" y=\"{:.1}\" class=\"axis\" text-anchor=\"end\">{}</text>",
            W - RIGHT,
            LEFT - 3.0,
            y(v) + 3.0,
            esc(&fmt(v)),
            y = y(v)
        );
        if line.is_some() {
            let _ = write!(
                out,
                "<text x=\"{}\" y=\"{:.1}\" class=\"axis\">{}%</text>",
                W - RIGHT + 3.0,
                y(v) + 3.0,
                50 * k
            );
        }
    }
    let n = labels.len().max(1) as f64;
    let group = plot_w / n;
    let bar_w = (group * 0.8 / bars.len().max(1) as f64).max(1.0);
    for (i, label) in labels.iter().enumerate() {
        let x0 = LEFT + group * i as f64 + group * 0.1;
        for (j, s) in bars.iter().enumerate() {
            if let Some(Some(v)) = s.values.get(i) {
                let top = y(*v);
                let _ = write!(
                    out,
                    "<rect x=\"{:.1}\" y=\"{top:.1}\" width=\"{bar_w:.1}\" height=\"{:.1}\" \
                     class=\"{}\" data-value=\"{v}\"><title>{} {}: {}</title></rect>",
                    x0 + bar_w * j as f64,
                    (TOP + plot_h - top).max(0.0),
                    s.class,
                    esc(label),
                    esc(&s.name),
                    esc(&fmt(*v))
                );
            }
        }
        // every label when they fit, else every other one
        if labels.len() <= 6 || i % 2 == (labels.len() - 1) % 2 {
            let _ = write!(
                out,
                "<text x=\"{:.1}\" y=\"{}\" class=\"axis\" text-anchor=\"middle\">{}</text>",
                LEFT + group * (i as f64 + 0.5),
                H - BOTTOM + 13.0,
                esc(label)
            );
        }
    }
    if let Some(l) = line {
        let pct_y = |v: f64| TOP + plot_h * (1.0 - v.clamp(0.0, 100.0) / 100.0);
        let points: Vec<(f64, f64, f64)> = l
            .values
            .iter()
            .enumerate()
            .filter_map(|(i, v)| v.map(|v| (LEFT + group * (i as f64 + 0.5), pct_y(v), v)))
            .collect();
        if points.len() > 1 {
            let path: Vec<String> = points
                .iter()
                .map(|(x, y, _)| format!("{x:.1},{y:.1}"))
                .collect();
            let _ = write!(
                out,
                "<polyline points=\"{}\" class=\"{} line\"/>",
                path.join(" "),
                l.class
            );
        }
        for (i, (x, y, v)) in points.iter().enumerate() {
            let label = labels
                .get(
                    l.values
                        .iter()
                        .enumerate()
                        .filter(|(_, v)| v.is_some())
                        .nth(i)
                        .map(|(k, _)| k)
                        .unwrap_or(0),
                )
                .map(String::as_str)
                .unwrap_or("");
            let _ = write!(
                out,
                "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"2.5\" class=\"{}\" data-value=\"{v}\">\
                 <title>{} {}: {v}%</title></circle>",
                l.class,
                esc(label),
                esc(&l.name)
            );
        }
    }
    out.push_str("</svg>");
    out
}

/// Horizontal bars, one per row (name, value), scaled to `max` (or the largest value).
pub fn hbars(
    title: &str,
    rows: &[(String, f64)],
    max: Option<f64>,
    class: &'static str,
    fmt: &dyn Fn(f64) -> String,
) -> String {
    let row_h = 22.0;
    let height = TOP + row_h * rows.len().max(1) as f64 + 6.0;
    let mut out = String::new();
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {W} {height}\" class=\"chart\" \
         role=\"img\" aria-label=\"{t}\"><title>{t}</title>",
        t = esc(title)
    );
    let max = max.unwrap_or_else(|| nice_max(rows.iter().fold(0.0, |a: f64, r| a.max(r.1))));
    let (label_w, value_w) = (120.0, 64.0);
    let plot_w = W - label_w - value_w;
    for (i, (name, v)) in rows.iter().enumerate() {
        let y = TOP + row_h * i as f64;
        let name: String = if name.chars().count() > 18 {
            name.chars().take(17).collect::<String>() + "…"
        } else {
            name.clone()
        };
        let len = if max > 0.0 {
            (plot_w * v / max).clamp(0.0, plot_w)
        } else {
            0.0
        };
        let _ = write!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" class=\"axis\" text-anchor=\"end\">{}</text>\
             <rect x=\"{label_w}\" y=\"{y:.1}\" width=\"{len:.1}\" height=\"{:.1}\" class=\"{class}\" \
             data-value=\"{v}\"><title>{}: {}</title></rect>\
             <text x=\"{:.1}\" y=\"{:.1}\" class=\"axis\">{}</text>",
            label_w - 4.0,
            y + 13.0,
            esc(&name),
            row_h - 6.0,
            esc(&name),
            esc(&fmt(*v)),
            label_w + len + 3.0,
            y + 13.0,
            esc(&fmt(*v))
        );
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_values_are_marked() {
        let s = Series {
            name: "a<b>&\"".into(),
            values: vec![Some(3.0), None, Some(10.0)],
            class: "c1",
        };
        let l = Series {
            name: "eff".into(),
            values: vec![Some(50.0), None, Some(75.5)],
            class: "c2",
        };
        let labels: Vec<String> = ["x", "y", "z"].iter().map(|s| s.to_string()).collect();
        let svg = bars("T & <x>", &labels, &[s], Some(&l), &|v| format!("{v}"));
        assert!(svg.contains("T &amp; &lt;x&gt;"));
        assert!(!svg.contains("a<b>"));
        assert!(svg.contains("data-value=\"3\"") && svg.contains("data-value=\"10\""));
        assert!(svg.contains("data-value=\"75.5\""));
        assert_eq!(
            svg.matches("<rect").count(),
            2 + 2,
            "two bars and two legend keys"
        );
    }

    #[test]
    fn nice_maxima() {
        assert_eq!(nice_max(0.0), 1.0);
        assert_eq!(nice_max(7.0), 10.0);
        assert_eq!(nice_max(180.0), 200.0);
        assert_eq!(nice_max(2400.0), 2500.0);
    }
}
