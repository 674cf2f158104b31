//! The waterfall picture: one horizontal bar per default, split into the
//! six layers in waterfall order, each as its share of the loss, labelled
//! with its amount, with a legend. Written as SVG (plotters' SVG backend
//! writes `<text>` elements, so no system font is needed).

use std::io;
use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::error::SimError;
use crate::report::{DefaultEntry, Report};
use crate::text::{grouped, percent};

/// Fill and label colour of each layer, in waterfall order.
const LAYER_COLOURS: [(RGBColor, RGBColor); 6] = [
    (RGBColor(0x8c, 0x2d, 0x04), WHITE), // defaulter_margin
    (RGBColor(0xe6, 0x55, 0x0d), WHITE), // defaulter_contribution
    (RGBColor(0x6a, 0x51, 0xa3), WHITE), // sitg
    (RGBColor(0x21, 0x66, 0xac), WHITE), // mutual_fund
    (RGBColor(0x67, 0xa9, 0xcf), BLACK), // assessments
    (RGBColor(0x25, 0x25, 0x25), WHITE), // uncovered
];

const WIDTH: u32 = 1000;
const ROW: u32 = 56;
const LEGEND: u32 = 70;

type DrawResult = Result<(), DrawingAreaErrorKind<io::Error>>;

/// Renders the chart for `report` and writes it to `path` (through a
/// temporary file, so a reader never sees half a chart).
pub fn write(report: &Report, title: &str, path: &Path) -> Result<(), SimError> {
    let svg = render(report, title)
        .map_err(|e| SimError::Output(format!("cannot draw the chart: {e}")))?;
    let tmp = path.with_file_name(format!(
        "{}.tmp",
        path.file_name()
            .map_or("chart.svg".into(), |n| n.to_string_lossy())
    ));
    std::fs::write(&tmp, svg)
        .and_then(|()| std::fs::rename(&tmp, path))
        .map_err(|e| SimError::Output(format!("cannot write the chart {}: {e}", path.display())))
}

/// Refuses a chart path whose directory does not exist (checked before a
/// run, so that the run is not wasted).
pub fn ensure_writable(path: &Path) -> Result<(), SimError> {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() && !dir.is_dir() => {
            Err(SimError::Output(format!(
                "cannot write the chart {}: no directory {}",
                path.display(),
                dir.display()
            )))
        }
        _ => Ok(()),
    }
}

/// The chart as an SVG document.
pub fn render(report: &Report, title: &str) -> Result<String, DrawingAreaErrorKind<io::Error>> {
    let rows = report.defaults.len().max(1) as u32;
    let height = 120 + ROW * rows + LEGEND;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE)?;
        let (plot, legend_area) = root.split_vertically(height - LEGEND);
        if report.defaults.is_empty() {
            let plot = plot.titled(title, ("sans-serif", 26))?;
            plot.draw(&Text::new(
                "No default was declared in this scenario.",
                (40, 40),
                ("sans-serif", 16),
            ))?;
        } else {
            bars(&plot, &report.defaults, title)?;
        }
        legend(&legend_area)?;
        root.present()?;
    }
    Ok(svg)
}

fn bars(
    area: &DrawingArea<SVGBackend, Shift>,
    defaults: &[DefaultEntry],
    title: &str,
) -> DrawResult {
    let n = defaults.len();
    let mut chart = ChartBuilder::on(area)
        .caption(title, ("sans-serif", 26))
        .margin(16)
        .margin_right(32)
        .x_label_area_size(44)
        .y_label_area_size(270)
        .build_cartesian_2d(0f64..100f64, 0f64..n as f64)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(0)
        .x_labels(11)
        .x_label_formatter(&|x| format!("{x:.0}%"))
        .x_desc("share of the loss absorbed by each layer")
        .light_line_style(TRANSPARENT)
        .bold_line_style(BLACK.mix(0.15))
        .label_style(("sans-serif", 16))
        .draw()?;

    for (i, d) in defaults.iter().enumerate() {
        // The first default on top.
        let row = (n - 1 - i) as f64;
        let (bottom, top) = (row + 0.2, row + 0.8);
        let (x, y) = chart.backend_coord(&(0.0, row + 0.5));
        let (base_x, base_y) = area.get_base_pixel();
        area.draw(&Text::new(
            format!("#{} {} · loss {}", i + 1, d.member, grouped(d.loss)),
            (x - base_x - 12, y - base_y),
            ("sans-serif", 17)
                .into_font()
                .color(&BLACK)
                .pos(Pos::new(HPos::Right, VPos::Center)),
        ))?;
        let mut start = 0.0;
        for ((_, amount), (fill, ink)) in d.layers.named().into_iter().zip(LAYER_COLOURS) {
            let share = percent(amount, d.loss);
            if share <= 0.0 {
                continue;
            }
            let end = (start + share).min(100.0);
            chart.draw_series(std::iter::once(Rectangle::new(
                [(start, bottom), (end, top)],
                fill.filled(),
            )))?;
            let label = grouped(amount);
            let pixels = chart.backend_coord(&(end, top)).0 - chart.backend_coord(&(start, top)).0;
            if pixels >= label_width(&label) {
                let style = ("sans-serif", 15)
                    .into_font()
                    .color(&ink)
                    .pos(Pos::new(HPos::Center, VPos::Center));
                chart.draw_series(std::iter::once(Text::new(
                    label,
                    ((start + end) / 2.0, row + 0.5),
                    style,
                )))?;
            }
            start = end;
        }
    }
    Ok(())
}

/// Rough pixel width of an amount label in the bars' font, with padding.
fn label_width(label: &str) -> i32 {
    8 * label.chars().count() as i32 + 10
}

/// The six layers, in two rows of three, under the bars.
fn legend(area: &DrawingArea<SVGBackend, Shift>) -> DrawResult {
    let names = clearing_types::fund::Layers::default().named();
    let column = (WIDTH as i32 - 120) / 3;
    for (k, ((name, _), (fill, _))) in names.into_iter().zip(LAYER_COLOURS).enumerate() {
        let x = 80 + column * (k % 3) as i32;
        let y = 10 + 28 * (k / 3) as i32;
        area.draw(&Rectangle::new([(x, y), (x + 16, y + 16)], fill.filled()))?;
        area.draw(&Text::new(
            format!("{} {name}", k + 1),
            (x + 24, y + 8),
            ("sans-serif", 16)
                .into_font()
                .color(&BLACK)
                .pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
    }
    Ok(())
}
