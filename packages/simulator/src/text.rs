//! The human-readable report: one table per default (layer, amount, share
//! of the loss) with the fund's coverage after it, the events with their
//! refusals, the final members and the coverage at the end. A coverage
//! ratio below 1 is flagged.

use std::fmt;

use cosmwasm_std::Uint128;

use crate::report::{CoverageOutcome, DefaultEntry, EventOutcome, Report};
use crate::scenario::Scenario;

/// What the report says about the run besides the report itself.
pub struct Context<'a> {
    pub scenario_path: &'a str,
    /// `native (uclear)` or `cw20 (cw20-base token)`.
    pub settlement: &'a str,
    /// Where the chart was written, if it was.
    pub chart: Option<&'a str>,
}

/// The report as text: `render(..)` or `format!("{}", TextReport { .. })`.
pub struct TextReport<'a> {
    pub scenario: &'a Scenario,
    pub report: &'a Report,
    pub ctx: &'a Context<'a>,
}

pub fn render(scenario: &Scenario, report: &Report, ctx: &Context) -> String {
    TextReport {
        scenario,
        report,
        ctx,
    }
    .to_string()
}

impl fmt::Display for TextReport<'_> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let (scenario, report) = (self.scenario, self.report);
        header(f, scenario, report, self.ctx)?;
        for (n, d) in report.defaults.iter().enumerate() {
            default_table(f, n + 1, d)?;
            if let Some(c) = report.coverage.after_defaults.get(n) {
                coverage(f, &format!("after default {}", n + 1), c)?;
            }
        }
        events(f, scenario, report)?;
        final_table(f, scenario, report)?;
        writeln!(f)?;
        coverage(f, "at the end", &report.coverage.end)?;
        if let Some(chart) = self.ctx.chart {
            writeln!(f, "\nWaterfall chart: {chart}")?;
        }
        Ok(())
    }
}

fn header(
    f: &mut fmt::Formatter,
    scenario: &Scenario,
    report: &Report,
    ctx: &Context,
) -> fmt::Result {
    writeln!(f, "Scenario    {}", ctx.scenario_path)?;
    if let Some(description) = &scenario.description {
        for line in wrap(description, 72) {
            writeln!(f, "            {line}")?;
        }
    }
    writeln!(f, "Settlement  {}", ctx.settlement)?;
    writeln!(
        f,
        "Played      {}, {} ({} refused), {}",
        counted(scenario.members.len(), "member"),
        counted(scenario.events.len(), "event"),
        report.refused_event_indexes.len(),
        counted(report.defaults.len(), "default")
    )
}

fn default_table(f: &mut fmt::Formatter, n: usize, d: &DefaultEntry) -> fmt::Result {
    writeln!(
        f,
        "\nDefault {n}: {} with a loss of {} (event {}{})",
        d.member,
        grouped(d.loss),
        d.event_index,
        if d.declared_by == "governance" {
            ", declared by governance"
        } else {
            ""
        }
    )?;
    if !d.unpaid_assessments.is_zero() {
        writeln!(
            f,
            "  close-out loss {} + unpaid assessments from earlier defaults {}",
            grouped(d.close_out_loss),
            grouped(d.unpaid_assessments)
        )?;
    }
    let mut rows: Vec<[String; 4]> =
        vec![["#".into(), "layer".into(), "amount".into(), "share".into()]];
    for (i, (name, amount)) in d.layers.named().into_iter().enumerate() {
        rows.push([
            (i + 1).to_string(),
            name.to_string(),
            grouped(amount),
            share(amount, d.loss),
        ]);
    }
    let total = d
        .layers
        .named()
        .iter()
        .fold(Uint128::zero(), |sum, (_, a)| sum.saturating_add(*a));
    rows.push([
        String::new(),
        "total".into(),
        grouped(total),
        share(total, d.loss),
    ]);
    table(f, &rows, &[false, false, true, true])?;
    assessed(f, d)
}

/// Who was called for how much; past a handful of members, a summary.
fn assessed(f: &mut fmt::Formatter, d: &DefaultEntry) -> fmt::Result {
    const LISTED: usize = 8;
    let mut calls: Vec<(&String, &Uint128)> = d.assessed.iter().collect();
    if calls.is_empty() {
        return Ok(());
    }
    let listed = |calls: &[(&String, &Uint128)]| {
        calls
            .iter()
            .map(|(id, amount)| format!("{id} {}", grouped(**amount)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if calls.len() <= LISTED {
        return writeln!(f, "  assessed: {}", listed(&calls));
    }
    let total = calls
        .iter()
        .fold(Uint128::zero(), |sum, (_, a)| sum.saturating_add(**a));
    calls.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    writeln!(
        f,
        "  assessed: {} members, {} in all; largest calls: {}",
        calls.len(),
        grouped(total),
        listed(&calls[..3])
    )
}

/// The fund's Coverage query in two lines, flagged when the pre-funded
/// resources do not cover the Cover-n requirement.
fn coverage(f: &mut fmt::Formatter, when: &str, c: &CoverageOutcome) -> fmt::Result {
    let c = match c {
        CoverageOutcome::Ok(c) => c,
        CoverageOutcome::Failed { error } => {
            return writeln!(f, "  Coverage {when}: the fund could not answer: {error}");
        }
    };
    let prefunded = format!(
        "pre-funded {} (SITG and balances), B {}, contribution rate {} ({} sizing)",
        big(c.prefunded),
        big(c.total_required),
        c.contribution_rate,
        c.sizing
    );
    let Some(ratio) = c.ratio else {
        writeln!(
            f,
            "  Coverage {when}: no stress exposure posted, no Cover-{} requirement",
            c.cover
        )?;
        return writeln!(
            f,
            "    {prefunded}; assessment capacity {}",
            big(c.assessment_capacity)
        );
    };
    let top = c
        .top_exposures
        .iter()
        .map(|t| format!("{} {}", t.member, big(t.exposure)))
        .collect::<Vec<_>>()
        .join(", ");
    writeln!(
        f,
        "  Coverage {when}: Cover-{} requirement {} (largest exposures: {top})",
        c.cover,
        big(c.requirement)
    )?;
    writeln!(f, "    {prefunded}")?;
    let with = c
        .ratio_with_assessments
        .map_or("-".to_string(), |r| two_decimals(&r.to_string()));
    writeln!(
        f,
        "    ratio {} (with the assessment capacity of {}: {with})",
        two_decimals(&ratio.to_string()),
        big(c.assessment_capacity)
    )?;
    if c.below_one {
        writeln!(
            f,
            "    ** COVERAGE BELOW 1: pre-funded {} < Cover-{} requirement {} **",
            big(c.prefunded),
            c.cover,
            big(c.requirement)
        )?;
    }
    Ok(())
}

/// A decimal string cut (not rounded) to two decimals: `0.999` is `0.99`,
/// so a ratio below 1 never reads `1.00`.
fn two_decimals(decimal: &str) -> String {
    let (whole, fraction) = decimal.split_once('.').unwrap_or((decimal, ""));
    format!("{whole}.{:0<2}", &fraction[..fraction.len().min(2)])
}

fn events(f: &mut fmt::Formatter, scenario: &Scenario, report: &Report) -> fmt::Result {
    if scenario.events.is_empty() {
        return Ok(());
    }
    writeln!(f, "\nEvents")?;
    let width = scenario
        .events
        .iter()
        .map(|e| e.to_string().len())
        .max()
        .unwrap_or(0);
    let index_width = (scenario.events.len() - 1).to_string().len();
    for (i, (event, outcome)) in scenario.events.iter().zip(&report.events).enumerate() {
        let verdict = match outcome {
            EventOutcome::Ok { kind, figures } => match highlights(kind, figures) {
                h if h.is_empty() => "ok".to_string(),
                h => format!("ok  {h}"),
            },
            EventOutcome::Refused { error } => format!("REFUSED: {error}"),
        };
        writeln!(
            f,
            "  {i:>index_width$}  {:<width$}  {verdict}",
            event.to_string()
        )?;
    }
    Ok(())
}

fn final_table(f: &mut fmt::Formatter, scenario: &Scenario, report: &Report) -> fmt::Result {
    writeln!(f, "\nFinal state")?;
    let mut rows: Vec<[String; 6]> = vec![[
        "member".into(),
        "margin".into(),
        "contribution".into(),
        "assessment owed".into(),
        "fees claimable".into(),
        "status".into(),
    ]];
    for id in scenario.member_ids() {
        if let Some(m) = report.final_state.members.get(id) {
            rows.push([
                id.to_string(),
                grouped(m.margin),
                grouped(m.contribution),
                grouped(m.assessment_owed),
                grouped(m.fees_claimable),
                m.status.as_str().to_string(),
            ]);
        }
    }
    table(f, &rows, &[false, true, true, true, true, false])?;
    writeln!(
        f,
        "  SITG left {}, uncovered in total {}",
        grouped(report.final_state.sitg),
        big(report.final_state.uncovered_total)
    )
}

/// The figures of a done event worth a glance, e.g. `drawn 100,000,
/// unpaid 100,000, status InBreach`.
fn highlights(kind: &str, figures: &[(String, String)]) -> String {
    let keys: &[&str] = match kind {
        "default" => &["default_id", "assessment_rate", "held_for_defaulter"],
        "pay_assessment" => &["amount", "status"],
        "claim_fees" | "claim_withdrawal" | "claim_recoveries" | "claim_released"
        | "withdraw_sitg" => &["amount"],
        "enforce_assessment" => &["drawn", "unpaid", "status"],
        "enforce_replenishment" => &["overdue", "drawn", "status"],
        "contribute" => &["balance", "shortfall"],
        "deposit_margin" | "withdraw_margin" => &["balance"],
        "set_required_margin" => &["required_margin"],
        "update_params" => &[
            "contribution_rate",
            "sizing",
            "total_required",
            "coverage_ratio",
            "coverage_error",
        ],
        "set_exposure" | "set_exposures" => &["total_exposure", "coverage_ratio", "coverage_error"],
        "recalibrate" => &[
            "previous_rate",
            "contribution_rate",
            "total_required",
            "coverage_ratio",
            "coverage_error",
        ],
        "record_recovery" => &["assessments", "mutual_fund", "sitg", "defaulter", "excess"],
        "request_exit" | "force_exit" => &["exit_available_at"],
        "request_withdrawal" => &["claimable_at", "lapses_at"],
        "complete_exit" => &["balance", "fees", "recovered"],
        "close_default" => &["default_id", "held"],
        "fund_sitg" => &["sitg"],
        _ => &[],
    };
    keys.iter()
        .filter_map(|key| {
            let (_, value) = figures.iter().find(|(k, _)| k == key)?;
            // Amounts grouped by thousands; times (unix seconds) as they are.
            let value = match value.parse::<u128>() {
                _ if *key == "coverage_ratio" && value != "none" => {
                    let below = value.parse::<f64>().is_ok_and(|r| r < 1.0);
                    format!(
                        "{}{}",
                        two_decimals(value),
                        if below { " (BELOW 1)" } else { "" }
                    )
                }
                Ok(n) if !key.ends_with("_at") => grouped(Uint128::new(n)),
                _ => value.clone(),
            };
            Some(format!("{} {value}", key.replace('_', " ")))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// `1 member`, `3 members`.
fn counted(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// `text` in lines of at most `width` characters (longer words alone).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = vec![];
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Rows as aligned columns (numbers right-aligned), indented by two.
fn table<const N: usize>(
    f: &mut fmt::Formatter,
    rows: &[[String; N]],
    right: &[bool; N],
) -> fmt::Result {
    let mut widths = [0usize; N];
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    for row in rows {
        let cells: Vec<String> = row
            .iter()
            .zip(widths)
            .zip(right)
            .map(|((cell, w), &right)| {
                if right {
                    format!("{cell:>w$}")
                } else {
                    format!("{cell:<w$}")
                }
            })
            .collect();
        writeln!(f, "  {}", cells.join("  ").trim_end())?;
    }
    Ok(())
}

/// `9000000` as `9,000,000`.
pub fn grouped(amount: Uint128) -> String {
    grouped_digits(&amount.to_string())
}

/// A 256-bit amount (a sum over members) grouped by thousands.
fn big(amount: cosmwasm_std::Uint256) -> String {
    grouped_digits(&amount.to_string())
}

/// A whole number written in digits, grouped by thousands.
fn grouped_digits(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `amount` as a percentage of `loss`, two decimals.
pub fn share(amount: Uint128, loss: Uint128) -> String {
    if loss.is_zero() {
        return "-".into();
    }
    format!("{:.2}%", percent(amount, loss))
}

/// `amount / loss × 100` (for display and the chart; 0 for no loss).
pub fn percent(amount: Uint128, loss: Uint128) -> f64 {
    if loss.is_zero() {
        0.0
    } else {
        amount.u128() as f64 * 100.0 / loss.u128() as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_grouped_by_thousands() {
        assert_eq!(grouped(Uint128::zero()), "0");
        assert_eq!(grouped(Uint128::new(999)), "999");
        assert_eq!(grouped(Uint128::new(1_000)), "1,000");
        assert_eq!(grouped(Uint128::new(9_000_000)), "9,000,000");
        assert_eq!(grouped(Uint128::new(12_345_678)), "12,345,678");
    }

    #[test]
    fn long_text_wraps_at_word_boundaries() {
        assert_eq!(
            wrap("one two three four", 9),
            vec!["one two", "three", "four"]
        );
        assert_eq!(wrap("", 9), Vec::<String>::new());
        assert_eq!(wrap("unbreakableword x", 4), vec!["unbreakableword", "x"]);
    }

    #[test]
    fn highlights_pick_the_figures_that_matter() {
        let figures = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        assert_eq!(
            highlights(
                "enforce_assessment",
                &figures(&[
                    ("member", "fornax"),
                    ("drawn", "100000"),
                    ("unpaid", "100000"),
                    ("status", "InBreach")
                ])
            ),
            "drawn 100,000, unpaid 100,000, status InBreach"
        );
        assert_eq!(highlights("advance", &figures(&[("seconds", "5")])), "");
    }

    #[test]
    fn shares_have_two_decimals() {
        assert_eq!(share(Uint128::new(7), Uint128::new(9)), "77.78%");
        assert_eq!(share(Uint128::new(9), Uint128::new(9)), "100.00%");
        assert_eq!(share(Uint128::new(1), Uint128::zero()), "-");
    }
}
