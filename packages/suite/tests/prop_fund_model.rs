//! Property test (issues 11, 12, 15, 16): random sequences of every
//! member-facing, keeper, risk-engine and governance message of the vault
//! and the fund, interleaved with wrong senders and bad inputs, run against
//! the real contracts (native and cw20) and, step by step, against a plain
//! naive model written from SPEC v2.
//!
//! The model iterates over members and keeps every figure as an exact
//! fraction (`Q`, big integers); it never calls the contracts' `Ratio` or
//! ledger code. After every step every member figure is compared:
//!
//! - exactly, where the rule gives a whole number: status (fund and vault),
//!   suspension, vote eligibility, exit notice, its end and its lapse,
//!   obligations
//!   (each default's `ceil(rc × A / B)` with its own due date), owed,
//!   overdue, shortfall due date and overdue replenishment, the pending
//!   withdrawal (amount, end of notice, claim window), held stakes,
//!   recovery credits (`recovered`), margin and required margin, exposure,
//!   every layer of every default and what recoveries credited to each
//!   layer (and when), every amount paid out (margin, withdrawals, exits,
//!   fees, credits, released stakes, SITG, refunds);
//! - balances: the contract shows `floor(v)` of the exact value `v`. That
//!   is exact whenever `v` is whole, and is the only integer within one unit
//!   of `v` never above it otherwise. The one tolerance is the contract's
//!   documented 2^-256 rounding of a stake whose lowest terms outgrow 256
//!   bits: when `v` is not whole but within 10^-40 above a whole number,
//!   `floor(v) − 1` is accepted too (never more than `v`). Shortfalls
//!   (`ceil(rc − v)`) get the mirror rule;
//! - fees: exact fractions too since 75f2e56 (the fee index is the exact
//!   sum of `fee / balances`), shown rounded down: `floor(v)`, or one unit
//!   less only when `v` is whole or within 10^-40 above a whole number (the
//!   index is rounded down at 2^-256 when its denominator would outgrow
//!   256 bits). Never above `v`. The fees the fund holds unclaimed are the
//!   fees paid in less every fee paid out or taken by layer 2, exactly.
//! - `B` (`total_required`) is the sum over surviving members of
//!   `min + rate × basis`, each member's required contribution and `B` shown
//!   with 18 decimals rounded up: compared exactly; the period's `rate_used`
//!   compared as an exact fraction.
//!
//! And after every step: the fund's and the vault's books and token
//! balances cover every claim (`Suite::check_conservation`), every default's
//! layers add up to its loss, the pool total `D` (`BooksResponse::balances`)
//! is the members' exact balances plus the pool's dust (below) and
//! `FundStateResponse::total_contributions` is the members' balances
//! rounded down, the loss recipient holds exactly what the model says it
//! was paid, the count of unpaid shares and the recovery credits the fund
//! holds are exactly the model's, and the uncovered total (256 bits since
//! cb798ee) is the sum of every layer 6. Every message the model says must be
//! refused is run through `Suite::refused`: refused, and the whole snapshot
//! (configs, totals, every member in both contracts, every default, the
//! token balances of contracts, roles and members) unchanged.
//!
//! The rules the lead set where the SPEC is open (commit 20c75d6, and
//! cb798ee where named), as the model keeps them:
//!
//! - Pool dust: when a member leaves the pool (a default or an exit) its
//!   balance is paid or held rounded down, and the fraction below one unit
//!   stays in the pool as dust (`Model::dust`) that belongs to no member,
//!   bears no later loss and earns no fee. Layer 4's capacity is the floor
//!   of the survivors' exact balances `S` (dust excluded) and each survivor
//!   keeps exactly `(S − L4) / S` of its balance. Fees are spread over the
//!   members' exact balances and refused when they sum to zero.
//! - Shutdown winds the regime down: no shortfall opens or stays open, a
//!   withdrawal may take the whole balance (after every open default is
//!   closed, `ClaimWithdrawal` takes it with no request), but requirements
//!   stay in `B` and still weigh the assessments of later defaults; after
//!   shutdown every exit (margin, fund withdrawal, claims of fees and
//!   credits, exit) is refused while anything is owed. A fund shut down,
//!   by governance or by chain governance's `sudo`, admits nobody: the
//!   vault's `AddMember` is refused by the fund's hook (cb798ee).
//! - Recoveries: per-default cumulative amounts per layer; a member's
//!   credit for default `k` is `floor(weight × cumulative layer amount)`
//!   less what was credited before (weight `rc / B` for the assessment
//!   layer, `balance before / S` for the mutual-fund layer). Credits of a
//!   default whose share a member still owes cancel that share first; the
//!   cancelled amount reaches the loss recipient when the member's
//!   settlement is next saved (any of its accepted messages, a keeper's
//!   `SettleMembers`, its default): the model keeps it pending until then
//!   (`Mem::fwd`, and the shares it cleared in `Mem::cleared`, which count
//!   as unpaid for the SITG exit until then). The rest is claimable
//!   (`MemberResponse::recovered`), collected by `ClaimRecoveries` or
//!   `CompleteExit`. Order: assessments, mutual fund, SITG, the uncovered
//!   layer (back to the loss recipient), the defaulter's layers 1–2
//!   (held), beyond the loss (held). A member that defaulted owing a share
//!   of an earlier default `k` had it joined to its own loss: its whole
//!   part of `k`'s assessment-layer recovery (what it owed and what it had
//!   paid) is a recovery of its own default (in reverse order there).
//! - A defaulter's credits (cb798ee): layer 2 takes its balance, fees and
//!   unclaimed recovery credits (`recovered`, every token the fund holds
//!   for it), what it does not need held with its stake. Credits that
//!   reach it after its default (from defaults it had borne) wait in
//!   `recovered` until its `ClaimRecoveries` (once its default is closed;
//!   paid nothing, refused when there is nothing) or anyone's
//!   `SettleMembers` (also while the default is open) passes them on to its
//!   own default as a recovery, in reverse order there.
//! - Breach as marks (688c066): an enforcement that cannot draw everything
//!   overdue marks the shares still overdue (or the open shortfall); the
//!   member is in breach while a marked share is unpaid (paid, drawn or
//!   cancelled by a recovery ends it) or a marked shortfall open (a
//!   top-up, a lower requirement, the shutdown close it). What falls
//!   overdue and was never enforced is overdue, not a breach. Claims of
//!   fees and of recovery credits are refused while anything is overdue,
//!   in breach or suspended. A default lifts the member's suspension (the
//!   decision it was pending).
//! - Exit: `CompleteExit` pays the fund balance (rounded down), fees and
//!   recovery credits; the vault keeps the margin (its account stays
//!   `Active`, deposits still accepted) until the member's next `Withdraw`
//!   takes it, whole and with no requirement (the account is `Exited` once
//!   empty), or anyone's `CloseAccount` pays all of it (611bd47).
//! - The claim window and the exit notice are fixed when requested (the
//!   model changes them with the parameters: see `Params::notice`).
//! - A member's own exit notice lapses (cb798ee) `withdrawal_claim_window`
//!   seconds (fixed with the notice) after it ends, or after the end of a
//!   cooling-off period open when it ends: `CompleteExit` is then refused
//!   and the member may give notice again (new dates). A forced exit never
//!   lapses; `ForceExit` on a member's own notice that has not lapsed makes
//!   it forced with the same dates (once), on a lapsed one gives new dates.
//! - After the fund's shutdown the vault refuses every margin withdrawal
//!   while anything is owed, also when the fund was shut down alone; the
//!   vault's own shutdown stops deposits and, once no default is open,
//!   releases whole margins.
//!
//! Three pairs of properties: `*_fund_follows_the_model` draw every message
//! (`action`; its stored seeds replay as long as that strategy and
//! `setup` stay as they are), `*_recoveries_follow_the_model` weight them
//! toward defaults that reach the assessment layer, their recoveries (also
//! of joined shares), assessments, claims, exits, keepers' settlements,
//! account closing and a shutdown of the fund alone (`recovery_action`),
//! `*_exits_follow_the_model` toward exit notices given, forced, completed
//! in time, lapsed and given again, cooling-off periods that push their
//! windows, admissions and shutdowns (also by `sudo`), and defaulters'
//! credits taken by layer 2 or passed on (`exit_action`, `exit_setup`).
//! Findings on the contracts are pinned below as fixed inputs (named
//! `bug_…` while they fail, after the rule they prove once fixed).
//!
//! `PROPTEST_CASES` sets the number of cases of each property (long runs:
//! `PROPTEST_CASES=2000 cargo test --release -p clearing-suite --test
//! prop_fund_model`); `PROP_STATS=1` (with `--nocapture`) prints how often
//! each message was accepted and refused; a failing case is shrunk for at
//! most `PROPTEST_MAX_SHRINK_TIME` milliseconds (60,000 unless set).

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::fmt;

use clearing_suite::{Settlement, Suite, SuiteBuilder, DENOM};
use clearing_types::fund::{self, DefaultReceipt, FundParams, MemberStatus, SizingParams};
use clearing_types::ledger::{Basis, Obligation};
use clearing_types::vault::{self, MarginStatus};
use cosmwasm_std::{coins, Addr, CosmosMsg, Decimal, Decimal256, Timestamp, Uint128, WasmMsg};
use cw_multi_test::{BankSudo, Executor, SudoMsg};
use num_bigint::BigInt;
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

// ---- exact fractions --------------------------------------------------------

/// An exact fraction `n / d`, `d > 0`, in lowest terms.
#[derive(Clone, PartialEq, Eq)]
struct Q {
    n: BigInt,
    d: BigInt,
}

impl fmt::Debug for Q {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.d == BigInt::from(1) {
            write!(f, "{}", self.n)
        } else {
            write!(f, "{}/{}", self.n, self.d)
        }
    }
}

fn big(v: u128) -> BigInt {
    BigInt::from(v)
}

fn gcd(a: &BigInt, b: &BigInt) -> BigInt {
    let zero = BigInt::from(0);
    let (mut a, mut b) = (
        if *a < zero { -a.clone() } else { a.clone() },
        if *b < zero { -b.clone() } else { b.clone() },
    );
    while b != zero {
        let r = &a % &b;
        a = b;
        b = r;
    }
    a
}

/// `floor(n / d)` for `d > 0`.
fn floor_div(n: &BigInt, d: &BigInt) -> BigInt {
    let q = n / d;
    if (n % d) != BigInt::from(0) && *n < BigInt::from(0) {
        q - 1
    } else {
        q
    }
}

fn to_u128(v: &BigInt) -> u128 {
    u128::try_from(v).unwrap_or_else(|_| panic!("{v} is not a u128"))
}

impl Q {
    fn new(n: BigInt, d: BigInt) -> Q {
        assert!(d != BigInt::from(0), "zero denominator");
        let (n, d) = if d < BigInt::from(0) {
            (-n, -d)
        } else {
            (n, d)
        };
        if n == BigInt::from(0) {
            return Q::zero();
        }
        let g = gcd(&n, &d);
        Q {
            n: n / &g,
            d: d / &g,
        }
    }
    fn zero() -> Q {
        Q {
            n: BigInt::from(0),
            d: BigInt::from(1),
        }
    }
    fn int(v: u128) -> Q {
        Q {
            n: big(v),
            d: BigInt::from(1),
        }
    }
    fn dec(v: Decimal) -> Q {
        Q::new(big(v.atomics().u128()), big(10u128.pow(18)))
    }
    fn ratio(r: &clearing_types::ratio::Ratio) -> Q {
        Q::new(
            r.num.to_string().parse().unwrap(),
            r.den.to_string().parse().unwrap(),
        )
    }
    fn add(&self, o: &Q) -> Q {
        Q::new(&self.n * &o.d + &o.n * &self.d, &self.d * &o.d)
    }
    fn sub(&self, o: &Q) -> Q {
        Q::new(&self.n * &o.d - &o.n * &self.d, &self.d * &o.d)
    }
    fn mul(&self, o: &Q) -> Q {
        Q::new(&self.n * &o.n, &self.d * &o.d)
    }
    fn div(&self, o: &Q) -> Q {
        Q::new(&self.n * &o.d, &self.d * &o.n)
    }
    fn is_zero(&self) -> bool {
        self.n == BigInt::from(0)
    }
    fn is_whole(&self) -> bool {
        self.d == BigInt::from(1)
    }
    fn floor(&self) -> u128 {
        to_u128(&floor_div(&self.n, &self.d))
    }
    fn ceil(&self) -> u128 {
        to_u128(&-floor_div(&-self.n.clone(), &self.d))
    }
    /// `v − floor(v)`.
    fn fraction(&self) -> Q {
        self.sub(&Q::new(floor_div(&self.n, &self.d), BigInt::from(1)))
    }
    fn max0(self) -> Q {
        if self < Q::zero() {
            Q::zero()
        } else {
            self
        }
    }
    /// Shown with 18 decimals, rounded up: the atomics.
    fn ceil18(&self) -> BigInt {
        -floor_div(&(-(&self.n * big(10u128.pow(18)))), &self.d)
    }
}

impl PartialOrd for Q {
    fn partial_cmp(&self, o: &Q) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}

impl Ord for Q {
    fn cmp(&self, o: &Q) -> Ordering {
        (&self.n * &o.d).cmp(&(&o.n * &self.d))
    }
}

fn dec256_atomics(d: Decimal256) -> BigInt {
    d.atomics().to_string().parse().unwrap()
}

/// The contract's rounding of a stake whose lowest terms outgrow 2^256.
fn eps_balance() -> Q {
    Q::new(BigInt::from(1), BigInt::from(10).pow(40))
}

// ---- parameters and the model ------------------------------------------------

const DAY: u64 = 86_400;
const COOLING_OFF: u64 = 10 * DAY;
const DEADLINE: u64 = DAY;
/// Short, so that shortfalls fall due inside a run (Advance goes up to 12 days).
const REPLENISHMENT: u64 = 3 * DAY;
const NOTICE: u64 = 5 * DAY;
const CLAIM_WINDOW: u64 = 4 * DAY;
/// The notice and claim window in force while the replenishment period is
/// a day (derived, so that the strategies stay as the stored seeds know
/// them): a withdrawal request and an exit notice keep the ones in force
/// when they were given.
const SHORT_NOTICE: u64 = 2 * DAY;
const SHORT_WINDOW: u64 = DAY;

#[derive(Clone, Debug, PartialEq)]
struct Params {
    min: u128,
    rate: Decimal,
    multiple: Decimal,
    basis: Basis,
    replenishment: u64,
    limit: Option<u128>,
}

impl Params {
    fn notice(&self) -> u64 {
        if self.replenishment == DAY {
            SHORT_NOTICE
        } else {
            NOTICE
        }
    }

    fn window(&self) -> u64 {
        if self.replenishment == DAY {
            SHORT_WINDOW
        } else {
            CLAIM_WINDOW
        }
    }

    fn fund(&self) -> FundParams {
        FundParams {
            min_contribution: Uint128::new(self.min),
            contribution_rate: self.rate,
            assessment_multiple: self.multiple,
            cooling_off_period: COOLING_OFF,
            assessment_deadline: DEADLINE,
            replenishment_period: self.replenishment,
            withdrawal_notice_period: self.notice(),
            withdrawal_claim_window: self.window(),
            risk_engine_mutualised_limit: self.limit.map(Uint128::new),
            sizing: SizingParams {
                mode: self.basis,
                ..SizingParams::default()
            },
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum St {
    Active,
    InBreach,
    Defaulted,
    Closed,
    Exited,
}

#[derive(Clone, Debug, PartialEq)]
struct Ob {
    id: u64,
    amount: u128,
    due: u64,
    /// An enforcement found it overdue and could not draw it: the member
    /// is in breach until it is paid, drawn or cancelled.
    breached: bool,
}

/// What a member bore of one default, for recoveries.
#[derive(Clone, Debug, Default)]
struct Part {
    /// `rc / B` at the default.
    assessment: Option<Q>,
    /// Balance before / the pool the layer-4 loss was spread over.
    mutual_fund: Option<Q>,
    credited_assessment: u128,
    credited_mutual_fund: u128,
}

#[derive(Clone, Debug)]
struct Mem {
    name: String,
    st: St,
    margin: u128,
    rm: u128,
    exposure: u128,
    bal: Q,
    fees: Q,
    obs: Vec<Ob>,
    shortfall_due: Option<u64>,
    /// An enforcement could not draw that shortfall: in breach until it
    /// closes.
    shortfall_breached: bool,
    /// Amount, end of the notice, claim window (fixed at the request).
    withdrawal: Option<(u128, u64, u64)>,
    suspended: bool,
    /// When it first gave notice (kept when notice is given again).
    exit_notice: Option<u64>,
    /// The end of its exit notice, fixed when it was given.
    exit_available: Option<u64>,
    /// Its own notice's claim window, fixed when it was given (cb798ee: the
    /// notice lapses that long after it ends); `None` for a forced exit,
    /// which never lapses.
    exit_window: Option<u64>,
    held: u128,
    /// Recovery credits it could claim now (`MemberResponse::recovered`).
    recovered: u128,
    parts: BTreeMap<u64, Part>,
    /// After its exit from the fund: its vault account is still open (the
    /// margin waits for its next withdrawal).
    vault_open: bool,
    /// Earlier defaults it owed part of its share of when it defaulted
    /// (joined to its own loss): default → its own default, to which
    /// recoveries of that default pass its whole credit.
    joined: BTreeMap<u64, u64>,
    /// Recovery credits that cancelled unpaid shares, to reach the loss
    /// recipient when its settlement is next saved, and the shares they
    /// cleared in full (still counted as open until then).
    fwd: u128,
    cleared: u64,
}

impl Mem {
    /// A member as admitted, with its margin and contribution.
    fn admitted(name: String, margin: u128, rm: u128, contribution: u128) -> Mem {
        Mem {
            name,
            st: St::Active,
            margin,
            rm,
            exposure: 0,
            bal: Q::int(contribution),
            fees: Q::zero(),
            obs: vec![],
            shortfall_due: None,
            shortfall_breached: false,
            withdrawal: None,
            suspended: false,
            exit_notice: None,
            exit_available: None,
            exit_window: None,
            held: 0,
            recovered: 0,
            parts: BTreeMap::new(),
            vault_open: false,
            joined: BTreeMap::new(),
            fwd: 0,
            cleared: 0,
        }
    }
    fn live(&self) -> bool {
        matches!(self.st, St::Active | St::InBreach)
    }
    fn owed(&self) -> u128 {
        self.obs.iter().map(|o| o.amount).sum()
    }
    fn overdue_assessments(&self, now: u64) -> u128 {
        self.obs
            .iter()
            .filter(|o| o.due <= now)
            .map(|o| o.amount)
            .sum()
    }
    fn may_vote(&self) -> bool {
        self.live() && !self.suspended && self.exit_notice.is_none()
    }
    /// The breach rule (688c066): an enforcement marks what it found
    /// overdue and could not draw; a live member is in breach while a
    /// marked share is unpaid or a marked shortfall open. What falls overdue
    /// and was never enforced is overdue (it blocks exits), not a breach.
    fn refresh_breach(&mut self) {
        if self.live() {
            let marked = self.shortfall_breached || self.obs.iter().any(|o| o.breached);
            self.st = if marked { St::InBreach } else { St::Active };
        }
    }
}

#[derive(Clone, Debug)]
struct Def {
    member: usize,
    close_out: u128,
    unpaid: u128,
    /// margin, own contribution, SITG, mutual fund, assessments, uncovered.
    layers: [u128; 6],
    due: Option<u64>,
    base: Q,
    rate: Q,
    opened: bool,
    by: &'static str,
    at: u64,
    closed: bool,
    /// Recovered: assessments, mutual fund, SITG, defaulter, uncovered, beyond the loss.
    rec: [u128; 6],
    /// When a recovery last reached it.
    rec_at: Option<u64>,
}

struct Model {
    mems: Vec<Mem>,
    now: u64,
    p: Params,
    sitg: u128,
    /// The pool's dust (see the header): `D` = the live balances + this.
    dust: Q,
    /// Fees paid in, less those paid out (claims, exits) or taken by a
    /// default's layer 2: what the fund holds for them, with what no member
    /// can claim (fractions of a unit left by those who left).
    fees_unclaimed: u128,
    /// The current or last cooling-off period: start, end, rate used.
    cooling: Option<(u64, u64, Q)>,
    periods: Vec<(u64, u64)>,
    defaults: Vec<Def>,
    /// The fund is shut down (its regime winds down).
    shutdown: bool,
    /// The vault is shut down too (no deposits; after every default is
    /// closed, whole margins leave). Only with the fund.
    vault_shutdown: bool,
    uncovered: u128,
    /// Paid to the loss recipient: layers 1–4, assessments paid or drawn,
    /// recoveries of the uncovered layer, credits that cancelled shares
    /// once forwarded, what it was given and kept.
    recipient: u128,
}

impl Model {
    /// `min + rate × basis` of a surviving member (it stays after shutdown:
    /// it still weighs assessments).
    fn rc(&self, i: usize) -> Q {
        let m = &self.mems[i];
        if !m.live() {
            return Q::zero();
        }
        let basis = match self.p.basis {
            Basis::RequiredMargin => m.rm,
            Basis::StressExposure => m.exposure,
        };
        Q::int(self.p.min).add(&Q::dec(self.p.rate).mul(&Q::int(basis)))
    }

    /// `B`: the sum over surviving members, naively.
    fn base(&self) -> Q {
        (0..self.mems.len()).fold(Q::zero(), |acc, i| acc.add(&self.rc(i)))
    }

    /// The live members' balances.
    fn balances(&self) -> Q {
        self.mems
            .iter()
            .filter(|m| m.live())
            .fold(Q::zero(), |acc, m| acc.add(&m.bal))
    }

    /// None after shutdown (the regime winds down).
    fn shortfall(&self, i: usize) -> Q {
        let m = &self.mems[i];
        if !m.live() || self.shutdown {
            return Q::zero();
        }
        self.rc(i).sub(&m.bal).max0()
    }

    fn replenishment_overdue(&self, i: usize) -> u128 {
        match self.mems[i].shortfall_due {
            Some(due) if due <= self.now => self.shortfall(i).ceil(),
            _ => 0,
        }
    }

    fn overdue(&self, i: usize) -> u128 {
        self.mems[i].overdue_assessments(self.now) + self.replenishment_overdue(i)
    }

    /// Above the required contribution, rounded down; after shutdown the
    /// whole balance.
    fn above_required(&self, i: usize) -> u128 {
        if self.shutdown {
            return self.mems[i].bal.floor();
        }
        self.mems[i].bal.sub(&self.rc(i)).max0().floor()
    }

    /// The end of a claim window of `window` seconds after a notice that
    /// ends at `at`: it starts at `at`, or at the end of a cooling-off
    /// period open at that moment (one that opens later does not move it).
    fn window_end(&self, at: u64, window: u64) -> u64 {
        let start = self
            .periods
            .iter()
            .find(|(s, e)| *s <= at && at < *e)
            .map_or(at, |(_, e)| *e);
        start + window
    }

    /// When member `i`'s own exit notice lapses (cb798ee): the claim
    /// window after the notice, as for a withdrawal request; `None`
    /// without a notice or for a forced exit.
    fn exit_lapses_at(&self, i: usize) -> Option<u64> {
        let m = &self.mems[i];
        Some(self.window_end(m.exit_available?, m.exit_window?))
    }

    fn exit_lapsed(&self, i: usize) -> bool {
        self.exit_lapses_at(i).is_some_and(|t| self.now >= t)
    }

    fn cooling_open(&self) -> bool {
        self.cooling.as_ref().is_some_and(|c| self.now < c.1)
    }

    fn open_defaults(&self) -> usize {
        self.defaults.iter().filter(|d| !d.closed).count()
    }

    /// SPEC v2 "Replenishment": a shortfall opens when the balance is below
    /// the requirement (due a period later) and closes when it meets it;
    /// an open one keeps its date; none after shutdown. A closed shortfall
    /// is no longer breached. Then every member's breach follows its marks.
    fn track(&mut self) {
        for i in 0..self.mems.len() {
            let short = self.mems[i].live() && !self.shutdown && self.mems[i].bal < self.rc(i);
            let m = &mut self.mems[i];
            if !short {
                m.shortfall_due = None;
                m.shortfall_breached = false;
            } else if m.shortfall_due.is_none() {
                m.shortfall_due = Some(self.now + self.p.replenishment);
            }
            m.refresh_breach();
        }
    }

    /// The exit rule (SPEC v2 "Exits check every obligation"): margin and
    /// claims of fees or credits (`owing_blocks` false) while anything is
    /// overdue, in breach or suspended; fund withdrawals and exits
    /// (`owing_blocks` true), and every exit after shutdown, also while
    /// anything is owed.
    fn exit_blocked(&self, i: usize, owing_blocks: bool) -> bool {
        let m = &self.mems[i];
        !m.live()
            || m.suspended
            || m.st == St::InBreach
            || self.overdue(i) > 0
            || ((owing_blocks || self.shutdown) && m.owed() > 0)
    }

    /// The member's settlement is saved: what recovery credits cancelled of
    /// its shares reaches the loss recipient, and the shares they cleared
    /// leave the count of unpaid shares.
    fn flush(&mut self, i: usize) {
        let m = &mut self.mems[i];
        self.recipient += m.fwd;
        m.fwd = 0;
        m.cleared = 0;
    }

    /// The fund's count of unpaid shares: those shown, and those recovery
    /// credits cleared in records not yet saved.
    fn open_obligations(&self) -> u64 {
        self.mems
            .iter()
            .map(|m| m.obs.len() as u64 + m.cleared)
            .sum()
    }

    /// Recovery credits the fund holds: claimable by members, cancelled
    /// and not yet forwarded, and what the rounding down of every member's
    /// credit left of each default's layers 4 and 5.
    fn recoveries_held(&self) -> u128 {
        let mut held: u128 = self.mems.iter().map(|m| m.recovered + m.fwd).sum();
        for (k, d) in self.defaults.iter().enumerate() {
            let id = k as u64 + 1;
            let credited: u128 = self
                .mems
                .iter()
                .filter_map(|m| m.parts.get(&id))
                .map(|p| p.credited_assessment + p.credited_mutual_fund)
                .sum();
            held += d.rec[0] + d.rec[1] - credited;
        }
        held
    }
}

// ---- actions -----------------------------------------------------------------

#[derive(Clone, Debug)]
enum Action {
    Contribute(usize, u128),
    DepositMargin(usize, u128),
    /// Percent of what may be withdrawn (above 100: that much over).
    WithdrawMargin(usize, u8),
    SetRequiredMargin(usize, u128),
    RequestWithdrawal(usize, u8),
    ClaimWithdrawal(usize),
    DistributeFees(u128),
    ClaimFees(usize),
    /// Member, close-out loss, declared by governance (else the risk engine).
    DeclareDefault(usize, u128, bool),
    /// 0: exactly what is owed, 1: more (refunded), 2: one unit less.
    PayAssessment(usize, u8),
    EnforceAssessment(usize),
    EnforceReplenishment(usize),
    CloseDefault(usize),
    ClaimReleased(usize),
    FundSitg(u128),
    UpdateParams(ParamsChange),
    /// Governance shuts the vault and the fund down (the vault alone when
    /// the fund already is).
    Shutdown,
    /// Governance shuts the fund down alone.
    ShutdownFund,
    /// Chain governance shuts the fund down alone (`sudo`).
    SudoShutdownFund,
    /// Governance admits a member through the vault, with this required
    /// margin: a new address, or (`k % 4 == 0`) a member the contracts
    /// know (refused).
    Admit(usize, u128),
    WithdrawSitg,
    RequestExit(usize),
    ForceExit(usize),
    CompleteExit(usize),
    /// `CompleteExit`, preferring a member whose notice is over and has not
    /// lapsed.
    CompleteExitInTime(usize),
    Suspend(usize),
    Unsuspend(usize),
    PostExposures(Vec<(usize, u128)>),
    /// A default picked by index (none yet: an unknown id), amount.
    RecordRecovery(usize, u128),
    ClaimRecoveries(usize),
    /// A keeper's `SettleMembers` for this member and the next.
    SettleMembers(usize),
    /// A keeper's `CloseAccount` in the vault.
    CloseAccount(usize),
    Advance(u64),
    /// A privileged message (index into the table) from member `.1`.
    WrongSender(usize, usize),
    /// A malformed or out-of-range message (index into the table) from member `.1`.
    BadInput(usize, usize),
}

#[derive(Clone, Debug)]
struct ParamsChange {
    min: u128,
    rate: Decimal,
    multiple: Decimal,
    basis: Basis,
    replenishment: u64,
    limit: Option<u128>,
}

fn rate() -> impl Strategy<Value = Decimal> {
    prop_oneof![
        Just(Decimal::zero()),
        Just(Decimal::percent(5)),
        Just(Decimal::percent(10)),
        // 1/3 to 18 decimals: rc and B with 10^18 denominators.
        Just(Decimal::from_atomics(333_333_333_333_333_333u128, 18).unwrap()),
        Just(Decimal::percent(50)),
    ]
}

fn multiple() -> impl Strategy<Value = Decimal> {
    prop_oneof![
        Just(Decimal::zero()),
        Just(Decimal::percent(50)),
        Just(Decimal::one()),
        Just(Decimal::percent(200)),
    ]
}

fn params_change() -> impl Strategy<Value = ParamsChange> {
    (
        prop_oneof![Just(0u128), Just(50), Just(100), Just(400)],
        rate(),
        multiple(),
        prop_oneof![3 => Just(Basis::RequiredMargin), 1 => Just(Basis::StressExposure)],
        prop_oneof![Just(REPLENISHMENT), Just(DAY)],
        prop_oneof![Just(None), Just(Some(0u128)), Just(Some(2_000))],
    )
        .prop_map(
            |(min, rate, multiple, basis, replenishment, limit)| ParamsChange {
                min,
                rate,
                multiple,
                basis,
                replenishment,
                limit,
            },
        )
}

fn action() -> impl Strategy<Value = Action> {
    let m = 0usize..1_000;
    prop_oneof![
        4 => (m.clone(), 1u128..4_000).prop_map(|(i, a)| Action::Contribute(i, a)),
        2 => (m.clone(), 1u128..6_000).prop_map(|(i, a)| Action::DepositMargin(i, a)),
        2 => (m.clone(), 1u8..=103).prop_map(|(i, p)| Action::WithdrawMargin(i, p)),
        2 => (m.clone(), 0u128..12_000).prop_map(|(i, a)| Action::SetRequiredMargin(i, a)),
        3 => (m.clone(), 1u8..=103).prop_map(|(i, p)| Action::RequestWithdrawal(i, p)),
        3 => m.clone().prop_map(Action::ClaimWithdrawal),
        3 => (1u128..3_000).prop_map(Action::DistributeFees),
        2 => m.clone().prop_map(Action::ClaimFees),
        2 => (m.clone(), 1u128..25_000, prop::bool::weighted(0.3))
            .prop_map(|(i, l, g)| Action::DeclareDefault(i, l, g)),
        3 => (m.clone(), 0u8..3).prop_map(|(i, k)| Action::PayAssessment(i, k)),
        2 => m.clone().prop_map(Action::EnforceAssessment),
        3 => m.clone().prop_map(Action::EnforceReplenishment),
        2 => m.clone().prop_map(Action::CloseDefault),
        1 => m.clone().prop_map(Action::ClaimReleased),
        1 => (1u128..3_000).prop_map(Action::FundSitg),
        2 => params_change().prop_map(Action::UpdateParams),
        // Rare: it ends new business for the rest of the run.
        1 => prop::bool::weighted(0.3).prop_map(|yes| if yes { Action::Shutdown } else { Action::Advance(3_600) }),
        1 => Just(Action::WithdrawSitg),
        1 => m.clone().prop_map(Action::RequestExit),
        1 => m.clone().prop_map(Action::ForceExit),
        2 => m.clone().prop_map(Action::CompleteExit),
        1 => m.clone().prop_map(Action::Suspend),
        1 => m.clone().prop_map(Action::Unsuspend),
        1 => prop::collection::vec((m.clone(), 0u128..20_000), 1..4).prop_map(Action::PostExposures),
        2 => (0usize..1_000, 1u128..20_000).prop_map(|(k, a)| Action::RecordRecovery(k, a)),
        1 => m.clone().prop_map(Action::ClaimRecoveries),
        5 => prop_oneof![Just(3_600u64), Just(DAY), Just(2 * DAY), Just(4 * DAY), Just(12 * DAY)]
            .prop_map(Action::Advance),
        2 => (0usize..1_000, m.clone()).prop_map(|(k, i)| Action::WrongSender(k, i)),
        2 => (0usize..1_000, m).prop_map(|(k, i)| Action::BadInput(k, i)),
    ]
}

/// Weighted toward defaults that reach the assessment layer, their
/// closing, recoveries (also of joined shares), assessments paid, enforced
/// or left unpaid, claims and exits (a strategy of its own, so that the
/// seeds stored for `action` keep replaying).
fn recovery_action() -> impl Strategy<Value = Action> {
    let m = 0usize..1_000;
    prop_oneof![
        3 => (m.clone(), 1u128..4_000).prop_map(|(i, a)| Action::Contribute(i, a)),
        1 => (m.clone(), 1u128..6_000).prop_map(|(i, a)| Action::DepositMargin(i, a)),
        1 => (m.clone(), 1u8..=103).prop_map(|(i, p)| Action::WithdrawMargin(i, p)),
        1 => (m.clone(), 0u128..12_000).prop_map(|(i, a)| Action::SetRequiredMargin(i, a)),
        1 => (m.clone(), 1u8..=103).prop_map(|(i, p)| Action::RequestWithdrawal(i, p)),
        1 => m.clone().prop_map(Action::ClaimWithdrawal),
        2 => (1u128..3_000).prop_map(Action::DistributeFees),
        2 => m.clone().prop_map(Action::ClaimFees),
        4 => (m.clone(), 1u128..40_000, prop::bool::weighted(0.5))
            .prop_map(|(i, l, g)| Action::DeclareDefault(i, l, g)),
        3 => (m.clone(), 0u8..3).prop_map(|(i, k)| Action::PayAssessment(i, k)),
        3 => m.clone().prop_map(Action::EnforceAssessment),
        1 => m.clone().prop_map(Action::EnforceReplenishment),
        4 => m.clone().prop_map(Action::CloseDefault),
        1 => m.clone().prop_map(Action::ClaimReleased),
        6 => (0usize..1_000, 1u128..12_000).prop_map(|(k, a)| Action::RecordRecovery(k, a)),
        4 => m.clone().prop_map(Action::ClaimRecoveries),
        2 => m.clone().prop_map(Action::SettleMembers),
        1 => params_change().prop_map(Action::UpdateParams),
        1 => prop_oneof![
            1 => Just(Action::Shutdown),
            1 => Just(Action::ShutdownFund),
            4 => Just(Action::Advance(3_600)),
        ],
        1 => Just(Action::WithdrawSitg),
        2 => m.clone().prop_map(Action::RequestExit),
        1 => m.clone().prop_map(Action::ForceExit),
        3 => m.clone().prop_map(Action::CompleteExit),
        1 => m.clone().prop_map(Action::CloseAccount),
        1 => m.clone().prop_map(Action::Suspend),
        1 => m.clone().prop_map(Action::Unsuspend),
        5 => prop_oneof![Just(3_600u64), Just(DAY), Just(2 * DAY), Just(12 * DAY)]
            .prop_map(Action::Advance),
        1 => (0usize..1_000, m).prop_map(|(k, i)| Action::BadInput(k, i)),
    ]
}

/// Weighted toward exit notices and their lapse (cb798ee): notices given,
/// forced and given again, exits completed or refused around the end of
/// the notice and of its claim window, cooling-off periods that push the
/// window (defaults reaching the survivors), admissions and shutdowns
/// (governance's or chain governance's, which stop them), and a
/// defaulter's recovery credits (taken by layer 2, later ones passed on
/// to its own default by its claim or a keeper). A strategy of its own,
/// so that the seeds stored for the others keep replaying.
fn exit_action() -> impl Strategy<Value = Action> {
    let m = 0usize..1_000;
    prop_oneof![
        3 => (m.clone(), 1u128..4_000).prop_map(|(i, a)| Action::Contribute(i, a)),
        1 => (m.clone(), 1u128..6_000).prop_map(|(i, a)| Action::DepositMargin(i, a)),
        1 => (m.clone(), 1u8..=103).prop_map(|(i, p)| Action::WithdrawMargin(i, p)),
        1 => (m.clone(), 0u128..12_000).prop_map(|(i, a)| Action::SetRequiredMargin(i, a)),
        1 => (m.clone(), 1u8..=103).prop_map(|(i, p)| Action::RequestWithdrawal(i, p)),
        1 => m.clone().prop_map(Action::ClaimWithdrawal),
        1 => (1u128..3_000).prop_map(Action::DistributeFees),
        1 => m.clone().prop_map(Action::ClaimFees),
        2 => (m.clone(), 1u128..30_000, prop::bool::weighted(0.5))
            .prop_map(|(i, l, g)| Action::DeclareDefault(i, l, g)),
        2 => (m.clone(), 0u8..3).prop_map(|(i, k)| Action::PayAssessment(i, k)),
        1 => m.clone().prop_map(Action::EnforceAssessment),
        3 => m.clone().prop_map(Action::CloseDefault),
        1 => m.clone().prop_map(Action::ClaimReleased),
        5 => (0usize..1_000, 1u128..2_000).prop_map(|(k, a)| Action::RecordRecovery(k, a)),
        3 => m.clone().prop_map(Action::ClaimRecoveries),
        2 => m.clone().prop_map(Action::SettleMembers),
        1 => params_change().prop_map(Action::UpdateParams),
        1 => prop_oneof![
            1 => Just(Action::Shutdown),
            1 => Just(Action::ShutdownFund),
            1 => Just(Action::SudoShutdownFund),
            6 => Just(Action::Advance(3_600)),
        ],
        2 => (0usize..1_000, 0u128..12_000).prop_map(|(k, a)| Action::Admit(k, a)),
        6 => m.clone().prop_map(Action::RequestExit),
        2 => m.clone().prop_map(Action::ForceExit),
        2 => m.clone().prop_map(Action::CompleteExit),
        3 => m.clone().prop_map(Action::CompleteExitInTime),
        1 => m.clone().prop_map(Action::CloseAccount),
        1 => m.clone().prop_map(Action::Suspend),
        1 => m.clone().prop_map(Action::Unsuspend),
        // Around a notice of 5 days (2) and a window of 4 days (1).
        9 => prop_oneof![
            Just(3_600u64),
            Just(DAY),
            Just(2 * DAY),
            Just(3 * DAY),
            Just(4 * DAY),
            Just(5 * DAY),
            Just(5 * DAY),
            Just(12 * DAY)
        ]
        .prop_map(Action::Advance),
        1 => (0usize..1_000, m).prop_map(|(k, i)| Action::WrongSender(k, i)),
    ]
}

#[derive(Clone, Debug)]
struct Setup {
    settlement: Settlement,
    params: ParamsChange,
    sitg: u128,
    /// margin, required margin, contribution.
    members: Vec<(u128, u128, u128)>,
}

fn setup(settlement: Settlement, max_members: usize) -> impl Strategy<Value = Setup> {
    (
        params_change(),
        0u128..4_000,
        prop::collection::vec(
            (0u128..20_000, 0u128..10_000, 0u128..3_000),
            2..=max_members,
        ),
    )
        .prop_map(move |(params, sitg, members)| Setup {
            settlement,
            params,
            sitg,
            members,
        })
}

/// A set-up whose defaults reach the assessment layer: an assessment
/// multiple of 1 or 2, a thin SITG tranche.
fn recovery_setup(settlement: Settlement) -> impl Strategy<Value = Setup> {
    (
        setup(settlement, 6),
        prop_oneof![Just(Decimal::one()), Just(Decimal::percent(200))],
        0u128..600,
    )
        .prop_map(|(mut s, multiple, sitg)| {
            s.params.multiple = multiple;
            s.sitg = sitg;
            s
        })
}

/// A set-up for `exit_action`: no assessments or one multiple (exits are
/// not all blocked by shares owed), a thin SITG tranche (defaults reach the
/// survivors: cooling-off periods, mutual-fund credits).
fn exit_setup(settlement: Settlement) -> impl Strategy<Value = Setup> {
    (
        setup(settlement, 6),
        prop_oneof![2 => Just(Decimal::zero()), 1 => Just(Decimal::one())],
        0u128..600,
    )
        .prop_map(|(mut s, multiple, sitg)| {
            s.params.multiple = multiple;
            s.sitg = sitg;
            s
        })
}

fn params_of(c: &ParamsChange) -> Params {
    Params {
        min: c.min,
        rate: c.rate,
        multiple: c.multiple,
        basis: c.basis,
        replenishment: c.replenishment,
        limit: c.limit,
    }
}

fn build(s: &Setup) -> (Suite, Model) {
    let p = params_of(&s.params);
    let mut b = SuiteBuilder::new()
        .settlement(s.settlement)
        .params(p.fund())
        .sitg(s.sitg);
    let mut mems = vec![];
    for (i, (margin, rm, contribution)) in s.members.iter().enumerate() {
        let name = format!("m{i}");
        b = b.member(&name, *margin, *rm, *contribution);
        mems.push(Mem::admitted(name, *margin, *rm, *contribution));
    }
    let suite = b.build();
    let mut model = Model {
        mems,
        now: suite.now(),
        p,
        sitg: s.sitg,
        dust: Q::zero(),
        fees_unclaimed: 0,
        cooling: None,
        periods: vec![],
        defaults: vec![],
        shutdown: false,
        vault_shutdown: false,
        uncovered: 0,
        recipient: 0,
    };
    // Admitted, then funded, in one block: a shortfall opened at admission
    // and closed by the contribution, or still open with its date.
    model.track();
    (suite, model)
}

// ---- comparing -----------------------------------------------------------------

fn fail(msg: String) -> TestCaseError {
    TestCaseError::fail(msg)
}

/// A figure held by or paid to a member: `floor(v)`, or one unit less
/// only when `v` lies within `eps` above a whole number (see the header).
fn check_held(
    what: &str,
    got: u128,
    v: &Q,
    eps: &Q,
    whole_exact: bool,
) -> Result<(), TestCaseError> {
    let f = v.floor();
    let near = v.fraction() < *eps && !(whole_exact && v.is_whole());
    if got == f || (near && got + 1 == f) {
        return Ok(());
    }
    Err(fail(format!(
        "{what}: contract {got}, exact {v:?} (floor {f})"
    )))
}

/// A figure owed by a member: `ceil(v)`, or one unit more only when `v`
/// lies within `eps` below a whole number.
fn check_owed(what: &str, got: u128, v: &Q, eps: &Q) -> Result<(), TestCaseError> {
    let c = v.ceil();
    let near = !v.is_whole() && Q::int(c).sub(v) < *eps;
    if got == c || (near && got == c + 1) {
        return Ok(());
    }
    Err(fail(format!(
        "{what}: contract {got}, exact {v:?} (ceil {c})"
    )))
}

fn status_of(st: St) -> MemberStatus {
    match st {
        St::Active => MemberStatus::Active,
        St::InBreach => MemberStatus::InBreach,
        St::Defaulted => MemberStatus::Defaulted,
        St::Closed => MemberStatus::Closed,
        St::Exited => MemberStatus::Exited,
    }
}

fn margin_status_of(m: &Mem) -> MarginStatus {
    match m.st {
        St::Active | St::InBreach => MarginStatus::Active,
        St::Defaulted => MarginStatus::Defaulted,
        St::Closed => MarginStatus::Released,
        // Out of the fund; the vault account stays open until its margin
        // is withdrawn.
        St::Exited if m.vault_open => MarginStatus::Active,
        St::Exited => MarginStatus::Exited,
    }
}

/// Block times carry nanoseconds; every period is whole seconds, so the
/// model keeps seconds.
fn secs(t: Option<Timestamp>) -> Option<u64> {
    t.map(|t| t.seconds())
}

macro_rules! same {
    ($what:expr, $got:expr, $want:expr) => {{
        let (g, w) = ($got, $want);
        if g != w {
            return Err(fail(format!("{}: contract {:?}, model {:?}", $what, g, w)));
        }
    }};
}

fn check(suite: &Suite, model: &Model) -> Result<(), TestCaseError> {
    let now = model.now;
    same!("block time", suite.now(), now);
    for (i, m) in model.mems.iter().enumerate() {
        let c = suite.fund_member(&m.name);
        let v = suite.vault_member(&m.name);
        let who = &m.name;
        same!(format!("{who} status"), c.status, status_of(m.st));
        same!(format!("{who} suspended"), c.suspended, m.suspended);
        same!(
            format!("{who} exit notice"),
            secs(c.exit_notice_at),
            m.exit_notice
        );
        same!(
            format!("{who} exit available"),
            secs(c.exit_available_at),
            m.exit_available
        );
        same!(
            format!("{who} exit lapses"),
            secs(c.exit_lapses_at),
            model.exit_lapses_at(i)
        );
        same!(format!("{who} may vote"), c.may_vote, m.may_vote());
        same!(format!("{who} margin"), v.balance.u128(), m.margin);
        same!(
            format!("{who} vault requirement"),
            v.required_margin.u128(),
            m.rm
        );
        same!(format!("{who} vault status"), v.status, margin_status_of(m));
        same!(
            format!("{who} fund requirement"),
            c.required_margin.u128(),
            m.rm
        );
        same!(format!("{who} exposure"), c.exposure.u128(), m.exposure);
        check_held(
            &format!("{who} balance"),
            c.balance.u128(),
            &m.bal,
            &eps_balance(),
            true,
        )?;
        check_held(
            &format!("{who} fees"),
            c.fees_claimable.u128(),
            &m.fees,
            &eps_balance(),
            false,
        )?;
        let rc = model.rc(i);
        same!(
            format!("{who} required contribution (18 decimals, up)"),
            dec256_atomics(c.required_contribution),
            rc.ceil18()
        );
        let obs: Vec<Ob> = c
            .obligations
            .iter()
            .map(|o: &Obligation| Ob {
                id: o.default_id,
                amount: o.amount.u128(),
                due: o.due.seconds(),
                breached: o.breached,
            })
            .collect();
        same!(format!("{who} obligations"), &obs, &m.obs);
        same!(format!("{who} owed"), c.assessment_owed.u128(), m.owed());
        same!(
            format!("{who} assessments overdue"),
            c.assessment_overdue.u128(),
            m.overdue_assessments(now)
        );
        check_owed(
            &format!("{who} shortfall"),
            c.shortfall.u128(),
            &model.shortfall(i),
            &eps_balance(),
        )?;
        same!(
            format!("{who} shortfall due"),
            secs(c.shortfall_due),
            m.shortfall_due
        );
        same!(
            format!("{who} replenishment overdue"),
            c.replenishment_overdue.u128(),
            model.replenishment_overdue(i)
        );
        same!(
            format!("{who} pending withdrawal"),
            c.pending_withdrawal.map(|w| (
                w.amount.u128(),
                w.claimable_at.seconds(),
                w.claim_window
            )),
            m.withdrawal
        );
        same!(format!("{who} held"), c.held.u128(), m.held);
        same!(format!("{who} recovered"), c.recovered.u128(), m.recovered);
    }

    let s = suite.fund_state();
    let live = model.mems.iter().filter(|m| m.live()).count() as u64;
    same!("members in B", s.members, live);
    same!(
        "voters",
        s.voters,
        model.mems.iter().filter(|m| m.may_vote()).count() as u64
    );
    same!(
        "B = sum of required contributions (18 decimals, up)",
        dec256_atomics(s.total_required),
        model.base().ceil18()
    );
    let balances = model.balances();
    let d = balances.add(&model.dust);
    if !d.is_whole() {
        return Err(fail(format!("model: D {d:?} is not whole")));
    }
    let books: fund::BooksResponse = suite.query_fund(&fund::QueryMsg::Books {});
    same!("D (balances and dust)", books.balances.u128(), d.floor());
    check_held(
        "the members' balances (total contributions)",
        s.total_contributions.u128(),
        &balances,
        &eps_balance(),
        true,
    )?;
    same!("sitg", s.sitg.u128(), model.sitg);
    same!(
        "held",
        s.held.u128(),
        model.mems.iter().map(|m| m.held).sum::<u128>()
    );
    same!(
        "recoveries held",
        s.recoveries_held.u128(),
        model.recoveries_held()
    );
    same!(
        "fees unclaimed",
        s.fees_unclaimed.u128(),
        model.fees_unclaimed
    );
    same!(
        "uncovered total",
        s.uncovered_total,
        cosmwasm_std::Uint256::from(model.uncovered)
    );
    same!("defaults", s.defaults, model.defaults.len() as u64);
    same!(
        "open defaults",
        s.open_defaults,
        model.open_defaults() as u64
    );
    same!(
        "open obligations (unpaid shares)",
        s.open_obligations,
        model.open_obligations()
    );
    same!("cooling-off open", s.cooling_off_open, model.cooling_open());
    same!(
        "cooling-off period",
        s.cooling_off.as_ref().map(|c| (
            c.started.seconds(),
            c.ends.seconds(),
            Q::ratio(&c.rate_used)
        )),
        model.cooling.clone()
    );
    same!(
        "contribution rate in force",
        s.contribution_rate,
        model.p.rate
    );
    same!("basis", s.basis, model.p.basis);

    let receipts = suite.defaults();
    same!("receipts", receipts.len(), model.defaults.len());
    for (k, (r, d)) in receipts.iter().zip(&model.defaults).enumerate() {
        check_receipt(suite, model, k, r, d)?;
    }

    same!(
        "loss recipient's tokens",
        suite.balance(&suite.loss_recipient),
        model.recipient
    );
    suite.check_conservation().map_err(fail)?;
    Ok(())
}

fn check_receipt(
    suite: &Suite,
    model: &Model,
    k: usize,
    r: &DefaultReceipt,
    d: &Def,
) -> Result<(), TestCaseError> {
    let what = format!("default {}", k + 1);
    same!(format!("{what} id"), r.id, k as u64 + 1);
    same!(
        format!("{what} member"),
        &r.member,
        &suite.addr(&model.mems[d.member].name)
    );
    same!(
        format!("{what} close-out loss"),
        r.close_out_loss.u128(),
        d.close_out
    );
    same!(
        format!("{what} unpaid assessments"),
        r.unpaid_assessments.u128(),
        d.unpaid
    );
    same!(
        format!("{what} loss"),
        r.loss.u128(),
        d.close_out + d.unpaid
    );
    let l = &r.layers;
    same!(
        format!("{what} layers"),
        [
            l.defaulter_margin.u128(),
            l.defaulter_contribution.u128(),
            l.sitg.u128(),
            l.mutual_fund.u128(),
            l.assessments.u128(),
            l.uncovered.u128()
        ],
        d.layers
    );
    same!(
        format!("{what} layers add up"),
        l.total().unwrap().u128(),
        r.loss.u128()
    );
    same!(format!("{what} declared at"), r.declared_at.seconds(), d.at);
    same!(format!("{what} declared by"), r.declared_by.as_str(), d.by);
    same!(
        format!("{what} assessment base"),
        dec256_atomics(r.assessment_base),
        d.base.ceil18()
    );
    same!(
        format!("{what} assessment rate"),
        dec256_atomics(r.assessment_rate),
        d.rate.ceil18()
    );
    same!(
        format!("{what} assessment due"),
        secs(r.assessment_due),
        d.due
    );
    same!(
        format!("{what} opened cooling-off"),
        r.opened_cooling_off,
        d.opened
    );
    same!(format!("{what} closed"), r.closed, d.closed);
    let rec = &r.recovered;
    same!(
        format!("{what} recovered (assessments, mutual fund, sitg, uncovered, defaulter, excess)"),
        [
            rec.assessments.u128(),
            rec.mutual_fund.u128(),
            rec.sitg.u128(),
            rec.uncovered.u128(),
            rec.defaulter.u128(),
            rec.excess.u128()
        ],
        [d.rec[0], d.rec[1], d.rec[2], d.rec[4], d.rec[3], d.rec[5]]
    );
    same!(format!("{what} last recovery"), secs(rec.last_at), d.rec_at);
    same!(
        format!("{what} recovered in total (with the uncovered layer)"),
        rec.total().unwrap().u128(),
        d.rec.iter().sum::<u128>()
    );
    Ok(())
}

// ---- running one step -------------------------------------------------------------

thread_local! {
    static STATS: std::cell::RefCell<BTreeMap<String, (u64, u64)>> = Default::default();
}

/// `PROP_STATS=1` (with `--nocapture`): how often each message was
/// accepted and refused in this thread's cases so far, after each case.
fn stat(what: &str, accept: bool) {
    STATS.with(|s| {
        let mut s = s.borrow_mut();
        let e = s.entry(what.to_string()).or_default();
        if accept {
            e.0 += 1
        } else {
            e.1 += 1
        }
    });
}

fn print_stats() {
    if std::env::var("PROP_STATS").is_ok() {
        STATS.with(|s| {
            for (k, (a, r)) in s.borrow().iter() {
                eprintln!("STAT {k}: accepted {a}, refused {r}");
            }
        });
    }
}

fn ok<T>(what: &str, r: anyhow::Result<T>) -> Result<T, TestCaseError> {
    r.map_err(|e| fail(format!("{what} refused, the model accepts it: {e:#}")))
}

/// Runs `f` expecting what the model says: accepted, or refused with
/// nothing changed (`Suite::refused`).
fn expect<T: fmt::Debug>(
    suite: &mut Suite,
    accept: bool,
    what: &str,
    f: impl FnOnce(&mut Suite) -> anyhow::Result<T>,
) -> Result<Option<T>, TestCaseError> {
    stat(what, accept);
    if accept {
        ok(what, f(suite)).map(Some)
    } else {
        refused(suite, what, f)?;
        Ok(None)
    }
}

/// `Suite::refused`, its panic (accepted, or state changed) turned into
/// this case's failure so that the step is named.
fn refused<T: fmt::Debug>(
    suite: &mut Suite,
    what: &str,
    f: impl FnOnce(&mut Suite) -> anyhow::Result<T>,
) -> Result<(), TestCaseError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        suite.refused(f);
    }))
    .map_err(|e| {
        let msg = e
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        fail(format!(
            "{what}: the model refuses it: {}",
            &msg[..msg.len().min(600)]
        ))
    })
}

/// A payment from `sender`: the tokens are minted to it first, outside
/// the refusal's snapshot.
#[allow(clippy::too_many_arguments)]
fn paid<N: serde::Serialize + fmt::Debug, R: serde::Serialize>(
    suite: &mut Suite,
    accept: bool,
    what: &str,
    sender: &Addr,
    contract: &Addr,
    amount: u128,
    native: &N,
    receive: &R,
) -> Result<bool, TestCaseError> {
    ok("mint", suite.mint(sender, amount))?;
    let (sender, contract) = (sender.clone(), contract.clone());
    Ok(expect(suite, accept, what, |s| {
        s.pay_into(&sender, &contract, amount, native, receive)
    })?
    .is_some())
}

fn wallet_delta(
    suite: &mut Suite,
    who: &Addr,
    f: impl FnOnce(&mut Suite) -> Result<bool, TestCaseError>,
) -> Result<(bool, i128), TestCaseError> {
    let before = suite.balance(who) as i128;
    let done = f(suite)?;
    Ok((done, suite.balance(who) as i128 - before))
}

/// Member `i` of the run: three times in four one for which the message
/// makes sense (`relevant`), when there is one, so that rare states are
/// reached; otherwise any member (most of which must refuse it).
fn pick(model: &Model, i: usize, relevant: impl Fn(&Model, usize) -> bool) -> usize {
    let n = model.mems.len();
    let cands: Vec<usize> = (0..n).filter(|j| relevant(model, *j)).collect();
    if i % 4 != 0 && !cands.is_empty() {
        cands[(i / 4) % cands.len()]
    } else {
        i % n
    }
}

fn step(suite: &mut Suite, model: &mut Model, action: &Action) -> Result<(), TestCaseError> {
    let n = model.mems.len();
    let now = model.now;
    let mut margin_out = MarginOut::Stays;
    let action = match action.clone() {
        Action::ClaimWithdrawal(i) => {
            Action::ClaimWithdrawal(pick(model, i, |m, j| m.mems[j].withdrawal.is_some()))
        }
        Action::CloseDefault(i) => {
            Action::CloseDefault(pick(model, i, |m, j| m.mems[j].st == St::Defaulted))
        }
        Action::ClaimReleased(i) => {
            Action::ClaimReleased(pick(model, i, |m, j| m.mems[j].st == St::Closed))
        }
        Action::CompleteExit(i) | Action::CompleteExitInTime(i) => {
            // Half the time the member also takes its margin out at once.
            margin_out = match i {
                0..=499 => MarginOut::Stays,
                500..=749 => MarginOut::Withdraw,
                _ => MarginOut::Close,
            };
            let in_time = matches!(action, Action::CompleteExitInTime(_));
            Action::CompleteExit(pick(model, i, |m, j| {
                let x = &m.mems[j];
                x.live()
                    && x.exit_notice.is_some()
                    && (!in_time
                        || x.exit_available.is_some_and(|t| t <= m.now) && !m.exit_lapsed(j))
            }))
        }
        Action::ClaimRecoveries(i) => {
            Action::ClaimRecoveries(pick(model, i, |m, j| m.mems[j].recovered > 0))
        }
        Action::SettleMembers(i) => Action::SettleMembers(pick(model, i, |m, j| {
            let x = &m.mems[j];
            x.fwd > 0 || x.cleared > 0 || (!x.live() && x.recovered > 0)
        })),
        Action::CloseAccount(i) => Action::CloseAccount(pick(model, i, |m, j| {
            m.mems[j].st == St::Exited && m.mems[j].vault_open
        })),
        Action::PayAssessment(i, k) => {
            Action::PayAssessment(pick(model, i, |m, j| m.mems[j].owed() > 0), k)
        }
        Action::EnforceAssessment(i) => Action::EnforceAssessment(pick(model, i, |m, j| {
            m.mems[j].overdue_assessments(m.now) > 0
        })),
        Action::EnforceReplenishment(i) => {
            Action::EnforceReplenishment(pick(model, i, |m, j| m.mems[j].shortfall_due.is_some()))
        }
        Action::Unsuspend(i) => Action::Unsuspend(pick(model, i, |m, j| m.mems[j].suspended)),
        Action::DeclareDefault(i, l, g) => {
            Action::DeclareDefault(pick(model, i, |m, j| m.mems[j].live()), l, g)
        }
        Action::RecordRecovery(k, a) => {
            let closed: Vec<usize> = (0..model.defaults.len())
                .filter(|d| model.defaults[*d].closed)
                .collect();
            match closed.is_empty() || k % 4 == 0 {
                true => Action::RecordRecovery(k, a),
                false => Action::RecordRecovery(closed[(k / 4) % closed.len()], a),
            }
        }
        other => other,
    };
    match action {
        Action::Advance(s) => {
            suite.advance(s);
            model.now += s;
        }
        Action::WrongSender(k, i) => wrong_sender(suite, model, k, i % n)?,
        Action::BadInput(k, i) => bad_input(suite, model, k, i % n)?,

        Action::Contribute(i, a) => {
            let i = i % n;
            let accept = !model.shutdown && model.mems[i].live();
            let (who, fund) = (suite.addr(&model.mems[i].name), suite.fund.clone());
            let (native, receive) = (
                fund::ExecuteMsg::Contribute {},
                fund::ReceiveMsg::Contribute {},
            );
            if paid(
                suite,
                accept,
                "contribute",
                &who,
                &fund,
                a,
                &native,
                &receive,
            )? {
                model.flush(i);
                model.mems[i].bal = model.mems[i].bal.add(&Q::int(a));
                model.track();
            }
        }
        Action::DepositMargin(i, a) => {
            let i = i % n;
            // The vault takes margin from an account it holds open: also
            // from a member that left the fund and has not withdrawn yet.
            let m = &model.mems[i];
            let accept =
                !model.vault_shutdown && (m.live() || (m.st == St::Exited && m.vault_open));
            let (who, vault) = (suite.addr(&model.mems[i].name), suite.vault.clone());
            let (native, receive) = (vault::ExecuteMsg::Deposit {}, vault::ReceiveMsg::Deposit {});
            if paid(
                suite,
                accept,
                "deposit margin",
                &who,
                &vault,
                a,
                &native,
                &receive,
            )? {
                model.mems[i].margin += a;
            }
        }
        Action::WithdrawMargin(i, pct) => {
            let i = i % n;
            let m = &model.mems[i];
            let (allowed, available) = match m.st {
                St::Defaulted => (false, m.margin),
                // Out of the fund: the whole margin, no requirement, until
                // the account is empty.
                St::Exited => (m.vault_open, m.margin),
                // The default is closed: what is left of the margin is its own.
                St::Closed => (true, m.margin),
                St::Active | St::InBreach => {
                    // The vault's own shutdown releases whole margins; the
                    // fund's alone only stops exits while anything is owed.
                    let whole = model.vault_shutdown && model.open_defaults() == 0;
                    (
                        !model.exit_blocked(i, false),
                        if whole {
                            m.margin
                        } else {
                            m.margin.saturating_sub(m.rm)
                        },
                    )
                }
            };
            let amount = if pct <= 100 {
                (available * pct as u128 / 100).max(1)
            } else {
                available + (pct - 100) as u128
            };
            let accept = allowed && amount <= available;
            let name = m.name.clone();
            let who = suite.addr(&name);
            let (done, delta) = wallet_delta(suite, &who, |s| {
                Ok(expect(s, accept, "withdraw margin", |s| {
                    s.withdraw_margin(&name, amount)
                })?
                .is_some())
            })?;
            if done {
                same!("margin paid", delta, amount as i128);
                let m = &mut model.mems[i];
                m.margin -= amount;
                if m.st == St::Exited && m.margin == 0 {
                    m.vault_open = false;
                }
            }
        }
        Action::SetRequiredMargin(i, a) => {
            let i = i % n;
            let accept = model.mems[i].live();
            let name = model.mems[i].name.clone();
            if expect(suite, accept, "set required margin", |s| {
                s.set_required_margin(&name, a)
            })?
            .is_some()
            {
                model.flush(i);
                model.mems[i].rm = a;
                model.track();
            }
        }
        Action::RequestWithdrawal(i, pct) => {
            let i = i % n;
            let available = model.above_required(i);
            let amount = if pct <= 100 {
                (available * pct as u128 / 100).max(1)
            } else {
                available + (pct - 100) as u128
            };
            let m = &model.mems[i];
            let accept = m.live() && !m.suspended && amount <= available;
            let name = m.name.clone();
            if expect(suite, accept, "request withdrawal", |s| {
                s.request_withdrawal(&name, amount)
            })?
            .is_some()
            {
                model.flush(i);
                let p = &model.p;
                model.mems[i].withdrawal = Some((amount, now + p.notice(), p.window()));
            }
        }
        Action::ClaimWithdrawal(i) => claim_withdrawal(suite, model, i % n)?,
        Action::DistributeFees(f) => {
            // Refused when no member has a balance (SPEC §3 "Fees").
            let total = model.balances();
            let accept = !model.shutdown && !total.is_zero();
            let (payer, fund) = (suite.addr("fee_payer"), suite.fund.clone());
            let (native, receive) = (
                fund::ExecuteMsg::DistributeFees {},
                fund::ReceiveMsg::DistributeFees {},
            );
            if paid(
                suite,
                accept,
                "distribute fees",
                &payer,
                &fund,
                f,
                &native,
                &receive,
            )? {
                for m in model.mems.iter_mut().filter(|m| m.live()) {
                    m.fees = m.fees.add(&Q::int(f).mul(&m.bal).div(&total));
                }
                model.fees_unclaimed += f;
            }
        }
        Action::ClaimFees(i) => {
            let i = i % n;
            let name = model.mems[i].name.clone();
            // The figure shown was checked against the model after the last step.
            let shown = suite.fund_member(&name).fees_claimable.u128();
            // Refused while anything is overdue, in breach or suspended
            // (after shutdown also while anything is owed).
            let accept = !model.exit_blocked(i, false) && shown > 0;
            let who = suite.addr(&name);
            let (done, delta) = wallet_delta(suite, &who, |s| {
                Ok(expect(s, accept, "claim fees", |s| s.claim_fees(&name))?.is_some())
            })?;
            if done {
                same!("fees paid", delta, shown as i128);
                model.flush(i);
                model.fees_unclaimed -= shown;
                let m = &mut model.mems[i];
                m.fees = m.fees.sub(&Q::int(shown));
            }
        }
        Action::DeclareDefault(i, loss, by_gov) => {
            declare_default(suite, model, i % n, loss, by_gov)?
        }
        Action::PayAssessment(i, kind) => {
            let i = i % n;
            let m = &model.mems[i];
            let owed = m.owed();
            let amount = match kind {
                0 => owed.max(1),
                1 => owed + 7,
                _ => owed.saturating_sub(1),
            };
            let accept = m.live() && owed > 0 && amount >= owed;
            let name = m.name.clone();
            let who = suite.addr(&name);
            let (done, delta) = wallet_delta(suite, &who, |s| {
                if amount == 0 {
                    // Nothing attached: refused like any zero payment.
                    let fund = s.fund.clone();
                    let who = s.addr(&name);
                    refused(s, "refusal", |s| {
                        s.app
                            .execute_contract(who, fund, &fund::ExecuteMsg::PayAssessment {}, &[])
                    })?;
                    return Ok(false);
                }
                let (who, fund) = (s.addr(&name), s.fund.clone());
                let (native, receive) = (
                    fund::ExecuteMsg::PayAssessment {},
                    fund::ReceiveMsg::PayAssessment {},
                );
                paid(
                    s,
                    accept,
                    "pay assessment",
                    &who,
                    &fund,
                    amount,
                    &native,
                    &receive,
                )
            })?;
            if done {
                // Minted `paid`, paid it, got the excess back.
                same!("refund", delta, (amount - owed) as i128);
                model.flush(i);
                model.mems[i].obs.clear();
                model.mems[i].refresh_breach();
                model.recipient += owed;
            }
        }
        Action::EnforceAssessment(i) => {
            let i = i % n;
            let m = &model.mems[i];
            let overdue = m.overdue_assessments(now);
            let accept = m.live() && m.owed() > 0 && overdue > 0;
            let name = m.name.clone();
            if expect(suite, accept, "enforce assessment", |s| {
                s.enforce_assessment(&name)
            })?
            .is_some()
            {
                model.flush(i);
                let m = &mut model.mems[i];
                let drawn = overdue.min(m.margin.saturating_sub(m.rm));
                let mut left = drawn;
                for o in m.obs.iter_mut().filter(|o| o.due <= now) {
                    let take = left.min(o.amount);
                    o.amount -= take;
                    left -= take;
                }
                m.obs.retain(|o| o.amount > 0);
                m.margin -= drawn;
                if drawn < overdue {
                    // What it could not draw: every share still overdue.
                    for o in m.obs.iter_mut().filter(|o| o.due <= now) {
                        o.breached = true;
                    }
                }
                m.refresh_breach();
                model.recipient += drawn;
            }
        }
        Action::EnforceReplenishment(i) => {
            let i = i % n;
            let overdue = model.replenishment_overdue(i);
            let accept = model.mems[i].live() && overdue > 0;
            let name = model.mems[i].name.clone();
            if expect(suite, accept, "enforce replenishment", |s| {
                s.enforce_replenishment(&name)
            })?
            .is_some()
            {
                model.flush(i);
                let m = &mut model.mems[i];
                let drawn = overdue.min(m.margin.saturating_sub(m.rm));
                m.margin -= drawn;
                m.bal = m.bal.add(&Q::int(drawn));
                if drawn < overdue {
                    // The shortfall it could not draw (still open).
                    m.shortfall_breached = true;
                }
                model.track();
            }
        }
        Action::CloseDefault(i) => {
            let i = i % n;
            let accept = model.mems[i].st == St::Defaulted;
            let name = model.mems[i].name.clone();
            if expect(suite, accept, "close default", |s| s.close_default(&name))?.is_some() {
                model.mems[i].st = St::Closed;
                for d in model.defaults.iter_mut().filter(|d| d.member == i) {
                    d.closed = true;
                }
            }
        }
        Action::ClaimReleased(i) => {
            let i = i % n;
            let m = &model.mems[i];
            let accept = m.st == St::Closed && m.held > 0;
            let (name, held) = (m.name.clone(), m.held);
            let who = suite.addr(&name);
            let (done, delta) = wallet_delta(suite, &who, |s| {
                Ok(expect(s, accept, "claim released", |s| s.claim_released(&name))?.is_some())
            })?;
            if done {
                same!("released paid", delta, held as i128);
                model.mems[i].held = 0;
            }
        }
        Action::FundSitg(a) => {
            let accept = !model.shutdown;
            let (operator, fund) = (suite.operator.clone(), suite.fund.clone());
            let (native, receive) = (fund::ExecuteMsg::FundSitg {}, fund::ReceiveMsg::FundSitg {});
            if paid(
                suite,
                accept,
                "fund sitg",
                &operator,
                &fund,
                a,
                &native,
                &receive,
            )? {
                model.sitg += a;
            }
        }
        Action::UpdateParams(c) => {
            let p = params_of(&c);
            let fp = p.fund();
            if expect(suite, true, "update params", |s| s.update_params(fp))?.is_some() {
                model.p = p;
                model.track();
            }
        }
        Action::Shutdown if model.shutdown && !model.vault_shutdown => {
            // The fund alone was shut down: now the vault.
            let gov = suite.governor();
            let vault = suite.vault.clone();
            expect(suite, true, "shutdown of the vault", |s| {
                s.app
                    .execute_contract(gov, vault, &vault::ExecuteMsg::Shutdown {}, &[])
            })?;
            model.vault_shutdown = true;
        }
        Action::Shutdown => {
            let accept = !model.shutdown;
            if expect(suite, accept, "shutdown", |s| s.shutdown())?.is_some() {
                model.shutdown = true;
                model.vault_shutdown = true;
                model.track();
            }
        }
        Action::ShutdownFund => {
            // Governance shuts the fund down alone: the vault honours it.
            let accept = !model.shutdown;
            let gov = suite.governor();
            if expect(suite, accept, "shutdown of the fund", |s| {
                s.execute_fund(&gov, &fund::ExecuteMsg::Shutdown {})
            })?
            .is_some()
            {
                model.shutdown = true;
                model.track();
            }
        }
        Action::SudoShutdownFund => {
            let accept = !model.shutdown;
            if expect(suite, accept, "shutdown of the fund by sudo", |s| {
                s.sudo_shutdown_fund_only()
            })?
            .is_some()
            {
                model.shutdown = true;
                model.track();
            }
        }
        Action::Admit(k, rm) => {
            // Refused once the fund is shut down (cb798ee: whoever shut it
            // down, the fund's hook refuses), and for a known address.
            let known = k % 4 == 0;
            let name = if known {
                model.mems[(k / 4) % n].name.clone()
            } else {
                format!("m{n}")
            };
            let accept = !known && !model.shutdown;
            if expect(suite, accept, "admit", |s| s.add_member(&name, rm))?.is_some() {
                model.mems.push(Mem::admitted(name, 0, rm, 0));
                model.track();
            }
        }
        Action::WithdrawSitg => {
            // Locked while the fund counts an unpaid share (a share a
            // recovery cleared counts until that member is settled).
            let accept = model.shutdown
                && model.open_defaults() == 0
                && model.open_obligations() == 0
                && model.sitg > 0;
            let operator = suite.operator.clone();
            let sitg = model.sitg;
            let (done, delta) = wallet_delta(suite, &operator.clone(), |s| {
                Ok(expect(s, accept, "withdraw sitg", |s| {
                    s.execute_fund(&operator, &fund::ExecuteMsg::WithdrawSitg {})
                })?
                .is_some())
            })?;
            if done {
                same!("sitg paid", delta, sitg as i128);
                model.sitg = 0;
            }
        }
        Action::RequestExit(i) => {
            let i = i % n;
            let m = &model.mems[i];
            // A notice stands until it lapses (a forced one never does);
            // then the member may give notice again, with new dates.
            let accept =
                m.live() && !m.suspended && (m.exit_notice.is_none() || model.exit_lapsed(i));
            let name = m.name.clone();
            if expect(suite, accept, "request exit", |s| s.request_exit(&name))?.is_some() {
                if model.mems[i].exit_notice.is_some() {
                    stat("notice given again after a lapse", true);
                }
                model.flush(i);
                let (notice, window) = (model.p.notice(), model.p.window());
                let m = &mut model.mems[i];
                // The first notice's date stays: the vote was lost then.
                m.exit_notice.get_or_insert(now);
                m.exit_available = Some(now + notice);
                m.exit_window = Some(window);
            }
        }
        Action::ForceExit(i) => {
            let i = i % n;
            let m = &model.mems[i];
            // Governance forces an exit once: on a member without notice,
            // or whose own notice lapsed (new dates), or on a member's own
            // notice that still stands (it becomes forced, dates kept).
            let accept = m.live() && (m.exit_notice.is_none() || m.exit_window.is_some());
            let new_dates = m.exit_notice.is_none() || model.exit_lapsed(i);
            let name = m.name.clone();
            if expect(suite, accept, "force exit", |s| s.force_exit(&name))?.is_some() {
                if !new_dates {
                    stat("own notice made forced", true);
                }
                model.flush(i);
                let notice = model.p.notice();
                let m = &mut model.mems[i];
                if new_dates {
                    m.exit_notice.get_or_insert(now);
                    m.exit_available = Some(now + notice);
                }
                m.exit_window = None;
            }
        }
        Action::CompleteExit(i) => complete_exit(suite, model, i % n, margin_out)?,
        Action::CompleteExitInTime(_) => unreachable!("a CompleteExit once picked"),
        Action::CloseAccount(i) => close_account(suite, model, i % n)?,
        Action::Suspend(i) => {
            let i = i % n;
            let m = &model.mems[i];
            let accept = m.live() && !m.suspended;
            let name = m.name.clone();
            if expect(suite, accept, "suspend", |s| s.suspend(&name))?.is_some() {
                model.flush(i);
                model.mems[i].suspended = true;
            }
        }
        Action::Unsuspend(i) => {
            let i = i % n;
            let m = &model.mems[i];
            let accept = m.live() && m.suspended;
            let name = m.name.clone();
            if expect(suite, accept, "unsuspend", |s| s.unsuspend(&name))?.is_some() {
                model.flush(i);
                model.mems[i].suspended = false;
            }
        }
        Action::PostExposures(posts) => {
            let posts: Vec<(usize, u128)> = posts.into_iter().map(|(i, a)| (i % n, a)).collect();
            // Every member live, and none named twice in one batch.
            let accept = posts.iter().all(|(i, _)| model.mems[*i].live())
                && posts
                    .iter()
                    .enumerate()
                    .all(|(k, (i, _))| posts[..k].iter().all(|(j, _)| j != i));
            let named: Vec<(String, u128)> = posts
                .iter()
                .map(|(i, a)| (model.mems[*i].name.clone(), *a))
                .collect();
            if expect(suite, accept, "post exposures", |s| {
                let refs: Vec<(&str, u128)> = named.iter().map(|(n, a)| (n.as_str(), *a)).collect();
                s.post_exposures(&refs)
            })?
            .is_some()
            {
                // One after the other, as separate messages would.
                for (i, a) in posts {
                    model.flush(i);
                    model.mems[i].exposure = a;
                    model.track();
                }
            }
        }
        Action::RecordRecovery(k, amount) => record_recovery(suite, model, k, amount)?,
        Action::SettleMembers(i) => {
            // Anyone settles a member and the one after it (any status).
            let picked = [i % n, (i + 1) % n];
            let names: Vec<String> = picked
                .iter()
                .map(|j| suite.addr(&model.mems[*j].name).to_string())
                .collect();
            let keeper = suite.addr("keeper");
            expect(suite, true, "settle members", |s| {
                s.execute_fund(&keeper, &fund::ExecuteMsg::SettleMembers { members: names })
            })?;
            for j in picked {
                model.flush(j);
                // A former defaulter's credits go on to its own default.
                pass_on(model, j);
            }
        }
        Action::ClaimRecoveries(i) => {
            let i = i % n;
            let m = &model.mems[i];
            // A member (not while anything is overdue, in breach or
            // suspended) or a former member is paid its credits; a
            // defaulter, once its default is closed, is paid nothing: its
            // credits go to its own default (cb798ee), refused when there
            // is nothing to pass on.
            let may = match m.st {
                St::Active | St::InBreach => !model.exit_blocked(i, false),
                St::Defaulted => false,
                St::Closed | St::Exited => !m.suspended,
            };
            let accept = may && m.recovered > 0;
            let (name, credit) = (m.name.clone(), m.recovered);
            let paid = if m.st == St::Closed { 0 } else { credit };
            let who = suite.addr(&name);
            let (done, delta) = wallet_delta(suite, &who, |s| {
                Ok(expect(s, accept, "claim recoveries", |s| s.claim_recoveries(&name))?.is_some())
            })?;
            if done {
                same!("recoveries paid", delta, paid as i128);
                model.flush(i);
                if model.mems[i].st == St::Closed {
                    same!("credits passed on", pass_on(model, i), credit);
                } else {
                    model.mems[i].recovered = 0;
                }
            }
        }
    }
    Ok(())
}

fn claim_withdrawal(suite: &mut Suite, model: &mut Model, i: usize) -> Result<(), TestCaseError> {
    let now = model.now;
    let m = &model.mems[i];
    let name = m.name.clone();
    let wind_down = model.shutdown && model.open_defaults() == 0;
    let amount = if wind_down {
        // After shutdown with every default closed: the whole balance, no notice.
        m.bal.floor()
    } else {
        m.withdrawal
            .map_or(0, |(req, _, _)| req.min(model.above_required(i)))
    };
    let in_time = match m.withdrawal {
        // The claim window starts when the notice ends, or at the end of a
        // cooling-off period open at that moment.
        Some((_, at, window)) if now >= at => now < model.window_end(at, window),
        _ => false,
    };
    let accept = if wind_down {
        !model.exit_blocked(i, true) && amount > 0
    } else {
        !model.exit_blocked(i, true) && in_time && !model.cooling_open() && amount > 0
    };
    let who = suite.addr(&name);
    let (done, delta) = wallet_delta(suite, &who, |s| {
        Ok(expect(s, accept, "claim withdrawal", |s| s.claim_withdrawal(&name))?.is_some())
    })?;
    if done {
        same!("withdrawal paid", delta, amount as i128);
        model.flush(i);
        let m = &mut model.mems[i];
        m.bal = m.bal.sub(&Q::int(amount));
        m.withdrawal = None;
        model.track();
    }
    Ok(())
}

/// What an exited member's margin does right after its `CompleteExit`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum MarginOut {
    /// It stays in the vault for later.
    Stays,
    /// The member withdraws all of it (no requirement any more).
    Withdraw,
    /// A keeper's `CloseAccount` pays it (`Suite::exit_with_margin`).
    Close,
}

/// `CompleteExit`: the fund pays the member's balance (rounded down), fees
/// and recovery credits; its margin stays in the vault until it withdraws
/// it or anyone closes its account (`margin_out`).
fn complete_exit(
    suite: &mut Suite,
    model: &mut Model,
    i: usize,
    margin_out: MarginOut,
) -> Result<(), TestCaseError> {
    let now = model.now;
    let m = &model.mems[i];
    let accept = m.live()
        && m.exit_available.is_some_and(|t| now >= t)
        && !model.exit_lapsed(i)
        && !model.cooling_open()
        && !model.exit_blocked(i, true);
    let name = m.name.clone();
    let fees = suite.fund_member(&name).fees_claimable.u128();
    let paid = m.bal.floor() + fees + m.recovered;
    let who = suite.addr(&name);
    let (done, delta) = wallet_delta(suite, &who, |s| {
        Ok(expect(s, accept, "complete exit", |s| s.complete_exit(&name))?.is_some())
    })?;
    if !done {
        return Ok(());
    }
    same!("exit paid", delta, paid as i128);
    model.flush(i);
    model.fees_unclaimed -= fees;
    let m = &mut model.mems[i];
    model.dust = model.dust.add(&m.bal.fraction());
    m.bal = Q::zero();
    m.fees = Q::zero();
    m.recovered = 0;
    m.withdrawal = None;
    m.st = St::Exited;
    m.vault_open = true;
    model.track();
    let margin = model.mems[i].margin;
    match margin_out {
        MarginOut::Stays => {}
        MarginOut::Withdraw if margin == 0 => {}
        MarginOut::Withdraw => {
            let (done, delta) = wallet_delta(suite, &who, |s| {
                Ok(expect(s, true, "withdraw margin after exit", |s| {
                    s.withdraw_margin(&name, margin)
                })?
                .is_some())
            })?;
            if done {
                same!("margin paid after exit", delta, margin as i128);
                let m = &mut model.mems[i];
                m.margin = 0;
                m.vault_open = false;
            }
        }
        MarginOut::Close => close_account(suite, model, i)?,
    }
    Ok(())
}

/// Anyone closes an exited member's vault account: its whole margin (also
/// none) is paid to it and the account is `Exited`.
fn close_account(suite: &mut Suite, model: &mut Model, i: usize) -> Result<(), TestCaseError> {
    let m = &model.mems[i];
    let accept = m.st == St::Exited && m.vault_open;
    let (name, margin) = (m.name.clone(), m.margin);
    let who = suite.addr(&name);
    let (done, delta) = wallet_delta(suite, &who, |s| {
        Ok(expect(s, accept, "close account", |s| s.close_account(&name))?.is_some())
    })?;
    if done {
        same!("margin paid at close", delta, margin as i128);
        let m = &mut model.mems[i];
        m.margin = 0;
        m.vault_open = false;
    }
    Ok(())
}

fn take(rem: &mut u128, available: u128) -> u128 {
    let x = (*rem).min(available);
    *rem -= x;
    x
}

fn declare_default(
    suite: &mut Suite,
    model: &mut Model,
    i: usize,
    close_out: u128,
    by_gov: bool,
) -> Result<(), TestCaseError> {
    let now = model.now;
    let name = model.mems[i].name.clone();
    let member = suite.addr(&name).to_string();
    let msg = fund::ExecuteMsg::DeclareDefault {
        member,
        loss: Uint128::new(close_out),
    };
    let sender = if by_gov {
        suite.governor()
    } else {
        suite.risk_engine.clone()
    };
    if !model.mems[i].live() {
        refused(suite, "refusal", |s| s.execute_fund(&sender, &msg))?;
        return Ok(());
    }

    // The model's waterfall (SPEC v2 §3).
    let d = &model.mems[i];
    let unpaid = d.owed();
    let loss = close_out + unpaid;
    let mut rem = loss;
    let l1 = take(&mut rem, d.margin);
    // Its balance and fees as shown, each rounded down once (the fees shown
    // were checked against the model after the last step), and its
    // unclaimed recovery credits (cb798ee: every token the fund holds for
    // it); the fraction of its balance below one unit joins the pool's
    // dust.
    let fees = suite.fund_member(&name).fees_claimable.u128();
    let own = d.bal.floor() + fees + d.recovered;
    if d.recovered > 0 {
        stat("layer 2 takes recovery credits", true);
    }
    let l2 = take(&mut rem, own);
    let l3 = take(&mut rem, model.sitg);
    let reaches = rem > 0;
    // Layer 4: the survivors' exact balances, dust excluded.
    let survivors = model
        .mems
        .iter()
        .enumerate()
        .filter(|(j, m)| *j != i && m.live())
        .fold(Q::zero(), |acc, (_, m)| acc.add(&m.bal));
    let l4 = take(&mut rem, survivors.floor());
    let base = (0..model.mems.len())
        .filter(|j| *j != i)
        .fold(Q::zero(), |acc, j| acc.add(&model.rc(j)));
    let open = model.cooling.clone().filter(|c| now < c.1);
    let (period, opened) = match (open, reaches) {
        (Some(c), _) => (Some(c), false),
        (None, true) => (Some((now, now + COOLING_OFF, Q::zero())), true),
        (None, false) => (None, false),
    };
    let used = period.as_ref().map_or(Q::zero(), |c| c.2.clone());
    let multiple = Q::dec(model.p.multiple);
    let cap = if multiple > used {
        multiple.sub(&used).mul(&base).floor()
    } else {
        0
    };
    let l5 = take(&mut rem, cap);
    let l6 = rem;
    let rate = if l5 == 0 {
        Q::zero()
    } else {
        Q::int(l5).div(&base)
    };
    let mutualised = l4 + l5;
    let over_limit = model.p.limit.is_some_and(|l| mutualised > l);

    // The preview is the receipt, before anything happens.
    let preview = ok("preview", suite.preview_default(&name, close_out))?;
    if !by_gov && over_limit {
        // Too large for the risk engine alone (SPEC v2 "Bounded risk engine").
        refused(suite, "refusal", |s| s.execute_fund(&sender, &msg))?;
        return Ok(());
    }
    ok("declare default", suite.execute_fund(&sender, &msg))?;
    let receipt = suite.defaults().last().cloned().expect("a receipt");
    same!(
        "preview = receipt",
        DefaultReceipt {
            id: receipt.id,
            declared_by: receipt.declared_by.clone(),
            ..preview
        },
        receipt.clone()
    );

    // Apply it to the model.
    let id = model.defaults.len() as u64 + 1;
    let due = (l5 > 0).then_some(now + DEADLINE);
    // Each survivor keeps exactly (S − L4) / S of its balance.
    let keep = (l4 > 0).then(|| survivors.sub(&Q::int(l4)).div(&survivors));
    let rcs: Vec<Q> = (0..model.mems.len()).map(|j| model.rc(j)).collect();
    for (j, m) in model.mems.iter_mut().enumerate() {
        if j == i || !m.live() {
            continue;
        }
        let mut part = Part::default();
        if let Some(k) = &keep {
            if !m.bal.is_zero() {
                part.mutual_fund = Some(m.bal.div(&survivors));
                m.bal = m.bal.mul(k);
            }
        }
        if l5 > 0 && !rcs[j].is_zero() {
            let share = rcs[j].mul(&Q::int(l5)).div(&base).ceil();
            m.obs.push(Ob {
                id,
                amount: share,
                due: now + DEADLINE,
                breached: false,
            });
            part.assessment = Some(rcs[j].div(&base));
        }
        if part.assessment.is_some() || part.mutual_fund.is_some() {
            m.parts.insert(id, part);
        }
    }
    // The defaulter's settlement is saved: what recoveries cancelled of
    // its shares is forwarded; the shares it still owes join its loss, and
    // recoveries of their defaults will be passed on to this one.
    model.flush(i);
    model.fees_unclaimed -= fees;
    let d = &mut model.mems[i];
    model.dust = model.dust.add(&d.bal.fraction());
    for o in &d.obs {
        d.joined.insert(o.id, id);
    }
    d.margin -= l1;
    d.held += own - l2;
    d.bal = Q::zero();
    d.fees = Q::zero();
    d.recovered = 0;
    d.obs.clear();
    d.withdrawal = None;
    d.shortfall_due = None;
    d.shortfall_breached = false;
    // The default is the decision a suspension was pending (688c066).
    d.suspended = false;
    d.st = St::Defaulted;
    model.sitg -= l3;
    model.uncovered += l6;
    model.recipient += l1 + l2 + l3 + l4;
    if let Some((start, end, used)) = period {
        model.cooling = Some((start, end, used.add(&rate)));
        if opened {
            model.periods.push((start, end));
        }
    }
    model.defaults.push(Def {
        member: i,
        close_out,
        unpaid,
        layers: [l1, l2, l3, l4, l5, l6],
        due,
        base,
        rate,
        opened,
        by: if by_gov { "governance" } else { "risk_engine" },
        at: now,
        closed: false,
        rec: [0; 6],
        rec_at: None,
    });
    model.track();
    Ok(())
}

fn record_recovery(
    suite: &mut Suite,
    model: &mut Model,
    k: usize,
    amount: u128,
) -> Result<(), TestCaseError> {
    let count = model.defaults.len();
    let id = if count == 0 {
        1
    } else {
        (k % count) as u64 + 1
    };
    let accept = model
        .defaults
        .get(id as usize - 1)
        .is_some_and(|d| d.closed);
    // The recipient is given the tokens first (outside the refusal's snapshot).
    let recipient = suite.loss_recipient.clone();
    ok("mint", suite.mint(&recipient, amount))?;
    let fund = suite.fund.clone();
    let r = expect(suite, accept, "record recovery", |s| {
        s.pay_into(
            &recipient,
            &fund,
            amount,
            &fund::ExecuteMsg::RecordRecovery { default_id: id },
            &fund::ReceiveMsg::RecordRecovery { default_id: id },
        )
    })?;
    if r.is_none() {
        // Refused: the recipient keeps what it was given; it is not a payment.
        model.recipient += amount;
        return Ok(());
    }
    // A recovery of a default, and the recoveries of later defaults it
    // passes on (joined shares), each in reverse order of its layers.
    let mut work = vec![(id, amount)];
    while let Some((id, amount)) = work.pop() {
        allocate(model, id, amount, &mut work);
    }
    model.track();
    Ok(())
}

/// A former defaulter keeps no credit (cb798ee): what recoveries of the
/// defaults it had borne credit it after its default goes to its own
/// default as a recovery, in reverse order there (what comes back to it is
/// held). On its `ClaimRecoveries` (its default closed) or anyone's
/// `SettleMembers`. Returns what was passed on.
fn pass_on(model: &mut Model, i: usize) -> u128 {
    let m = &mut model.mems[i];
    if !matches!(m.st, St::Defaulted | St::Closed) || m.recovered == 0 {
        return 0;
    }
    let amount = std::mem::take(&mut m.recovered);
    let own = model
        .defaults
        .iter()
        .position(|d| d.member == i)
        .expect("its default") as u64
        + 1;
    stat("credits passed on to the defaulter's own default", true);
    let mut work = vec![(own, amount)];
    while let Some((id, amount)) = work.pop() {
        allocate(model, id, amount, &mut work);
    }
    model.track();
    amount
}

/// Credits `amount` to default `id`'s layers in reverse order (SPEC v2 §8
/// and the lead's rules, see the header), and to the members who bore
/// them; pushes onto `work` what is passed on to later defaults.
fn allocate(model: &mut Model, id: u64, amount: u128, work: &mut Vec<(u64, u128)>) {
    let now = model.now;
    let d = &mut model.defaults[id as usize - 1];
    let l = d.layers;
    // assessments, mutual fund, SITG, uncovered, the defaulter's layers 1–2.
    let rooms = [
        (0, l[4] - d.rec[0]),
        (1, l[3] - d.rec[1]),
        (2, l[2] - d.rec[2]),
        (4, l[5] - d.rec[4]),
        (3, l[0] + l[1] - d.rec[3]),
    ];
    let mut rem = amount;
    let mut credit = [0u128; 6];
    for (slot, room) in rooms {
        credit[slot] = rem.min(room);
        rem -= credit[slot];
    }
    credit[5] = rem;
    for (r, c) in d.rec.iter_mut().zip(credit) {
        *r += c;
    }
    d.rec_at = Some(now);
    let (cum_a, cum_mf, defaulter) = (d.rec[0], d.rec[1], d.member);
    model.sitg += credit[2];
    model.recipient += credit[4];
    model.mems[defaulter].held += credit[3] + credit[5];
    for m in model.mems.iter_mut() {
        let Some(part) = m.parts.get_mut(&id) else {
            continue;
        };
        let mut claimable = 0;
        if let Some(w) = &part.assessment {
            let total = w.mul(&Q::int(cum_a)).floor();
            let mut new = total - part.credited_assessment;
            part.credited_assessment = total;
            if let Some(own_default) = m.joined.get(&id) {
                // It defaulted owing part of its share: a defaulter keeps no
                // credit, so the whole of it is a recovery of its own default.
                if new > 0 {
                    stat("recovery passed on to a later default", true);
                    work.push((*own_default, new));
                }
                new = 0;
            } else if let Some(o) = m.obs.iter_mut().find(|o| o.id == id) {
                // It first cancels what the member still owes for that default.
                let t = new.min(o.amount);
                o.amount -= t;
                new -= t;
                m.fwd += t;
                if t > 0 {
                    stat("recovery cancels a share", true);
                }
                if o.amount == 0 {
                    m.cleared += 1;
                }
            }
            m.obs.retain(|o| o.amount > 0);
            claimable += new;
        }
        if let Some(w) = &part.mutual_fund {
            let total = w.mul(&Q::int(cum_mf)).floor();
            claimable += total - part.credited_mutual_fund;
            part.credited_mutual_fund = total;
        }
        if claimable > 0 && matches!(m.st, St::Defaulted | St::Closed) {
            stat("a credit reaches a former defaulter", true);
        }
        m.recovered += claimable;
    }
}

// ---- wrong senders and bad inputs -------------------------------------------------------

fn wasm<T: serde::Serialize>(contract: &Addr, msg: &T) -> CosmosMsg {
    WasmMsg::Execute {
        contract_addr: contract.to_string(),
        msg: cosmwasm_std::to_json_binary(msg).expect("serializable"),
        funds: vec![],
    }
    .into()
}

/// Every privileged message of the vault and the fund, from a member (or
/// from the risk engine where only governance may send it).
fn wrong_sender(suite: &mut Suite, model: &Model, k: usize, i: usize) -> Result<(), TestCaseError> {
    let n = model.mems.len();
    let member = suite.addr(&model.mems[i].name);
    let other = suite.addr(&model.mems[(i + 1) % n].name).to_string();
    let engine = suite.risk_engine.clone();
    let one = Uint128::one();
    let (vault_addr, fund_addr) = (suite.vault.clone(), suite.fund.clone());
    let f = |m: fund::ExecuteMsg| wasm(&fund_addr, &m);
    let v = |m: vault::ExecuteMsg| wasm(&vault_addr, &m);
    let table: Vec<(Addr, CosmosMsg)> = vec![
        (
            member.clone(),
            f(fund::ExecuteMsg::DeclareDefault {
                member: other.clone(),
                loss: one,
            }),
        ),
        (
            member.clone(),
            f(fund::ExecuteMsg::UpdateParams {
                params: model.p.fund(),
            }),
        ),
        (
            engine.clone(),
            f(fund::ExecuteMsg::UpdateParams {
                params: model.p.fund(),
            }),
        ),
        (
            member.clone(),
            f(fund::ExecuteMsg::SetPause { paused: true }),
        ),
        (member.clone(), f(fund::ExecuteMsg::Shutdown {})),
        (engine.clone(), f(fund::ExecuteMsg::Shutdown {})),
        (
            member.clone(),
            f(fund::ExecuteMsg::CloseDefault {
                member: other.clone(),
            }),
        ),
        (
            engine.clone(),
            f(fund::ExecuteMsg::CloseDefault {
                member: other.clone(),
            }),
        ),
        (
            member.clone(),
            f(fund::ExecuteMsg::UpdateConfig {
                governance: Some(member.to_string()),
                risk_engine: None,
                operator: None,
                loss_recipient: None,
            }),
        ),
        (
            member.clone(),
            f(fund::ExecuteMsg::Suspend {
                member: other.clone(),
            }),
        ),
        (
            member.clone(),
            f(fund::ExecuteMsg::Unsuspend {
                member: other.clone(),
            }),
        ),
        (
            engine.clone(),
            f(fund::ExecuteMsg::Unsuspend {
                member: other.clone(),
            }),
        ),
        (
            member.clone(),
            f(fund::ExecuteMsg::ForceExit {
                member: other.clone(),
            }),
        ),
        (
            engine.clone(),
            f(fund::ExecuteMsg::ForceExit {
                member: other.clone(),
            }),
        ),
        (
            member.clone(),
            f(fund::ExecuteMsg::PostExposures {
                exposures: vec![fund::ExposurePost {
                    member: other.clone(),
                    amount: one,
                }],
            }),
        ),
        (member.clone(), f(fund::ExecuteMsg::WithdrawSitg {})),
        (
            member.clone(),
            f(fund::ExecuteMsg::VaultHook(
                fund::VaultHookMsg::MemberAdded {
                    member: member.to_string(),
                    required_margin: one,
                },
            )),
        ),
        (
            member.clone(),
            f(fund::ExecuteMsg::VaultHook(
                fund::VaultHookMsg::RequirementChanged {
                    member: other.clone(),
                    required_margin: one,
                },
            )),
        ),
        (
            member.clone(),
            f(fund::ExecuteMsg::Callback(
                fund::CallbackMsg::CreditReplenishment {
                    member: member.to_string(),
                    amount: one,
                },
            )),
        ),
        (
            member.clone(),
            v(vault::ExecuteMsg::AddMember {
                member: suite.addr("mallory").to_string(),
                required_margin: one,
            }),
        ),
        (
            member.clone(),
            v(vault::ExecuteMsg::SetRequiredMargin {
                member: other.clone(),
                amount: one,
            }),
        ),
        (
            member.clone(),
            v(vault::ExecuteMsg::SetPause { paused: true }),
        ),
        (member.clone(), v(vault::ExecuteMsg::Shutdown {})),
        (
            member.clone(),
            v(vault::ExecuteMsg::UpdateConfig {
                governance: Some(member.to_string()),
                risk_engine: None,
                default_fund: None,
            }),
        ),
        (
            member.clone(),
            v(vault::ExecuteMsg::FundHook(vault::FundHookMsg::Seize {
                member: other.clone(),
                amount: one,
                recipient: member.to_string(),
            })),
        ),
        (
            member.clone(),
            v(vault::ExecuteMsg::FundHook(vault::FundHookMsg::Draw {
                member: other.clone(),
                amount: one,
                recipient: member.to_string(),
            })),
        ),
        (
            member.clone(),
            v(vault::ExecuteMsg::FundHook(vault::FundHookMsg::Release {
                member: other.clone(),
            })),
        ),
    ];
    let extra = 2; // paid messages below
    let pick = k % (table.len() + extra);
    if pick < table.len() {
        let (sender, msg) = table[pick].clone();
        refused(suite, "refusal", |s| s.app.execute(sender, msg))?;
        return Ok(());
    }
    // Paid messages from the wrong sender: the SITG and a recovery.
    ok("mint", suite.mint(&member, 5))?;
    let (native, receive) = if pick == table.len() {
        (fund::ExecuteMsg::FundSitg {}, fund::ReceiveMsg::FundSitg {})
    } else {
        (
            fund::ExecuteMsg::RecordRecovery { default_id: 1 },
            fund::ReceiveMsg::RecordRecovery { default_id: 1 },
        )
    };
    refused(suite, "refusal", |s| {
        s.pay_into(&member, &fund_addr, 5, &native, &receive)
    })?;
    Ok(())
}

/// Malformed and out-of-range input; each must be refused in every state.
fn bad_input(suite: &mut Suite, model: &Model, k: usize, i: usize) -> Result<(), TestCaseError> {
    let name = model.mems[i].name.clone();
    let member = suite.addr(&name);
    let (vault_addr, fund_addr) = (suite.vault.clone(), suite.fund.clone());
    let engine = suite.risk_engine.clone();
    let gov = suite.governor();
    let nobody = suite.addr("nobody").to_string();
    let raw_to = |c: &Addr, bytes: &str| -> CosmosMsg {
        WasmMsg::Execute {
            contract_addr: c.to_string(),
            msg: clearing_suite::raw(bytes),
            funds: vec![],
        }
        .into()
    };
    let f = |m: fund::ExecuteMsg| wasm(&fund_addr, &m);
    let mut bad_params = model.p.fund();
    bad_params.contribution_rate = Decimal::percent(101);
    let mut bad_cover = model.p.fund();
    bad_cover.sizing.cover = 3;
    let table: Vec<(Addr, CosmosMsg)> = vec![
        (member.clone(), f(fund::ExecuteMsg::Contribute {})),
        (
            member.clone(),
            wasm(
                &vault_addr,
                &vault::ExecuteMsg::Withdraw {
                    amount: Uint128::zero(),
                },
            ),
        ),
        (
            member.clone(),
            wasm(
                &vault_addr,
                &vault::ExecuteMsg::Withdraw {
                    amount: Uint128::MAX,
                },
            ),
        ),
        (
            member.clone(),
            f(fund::ExecuteMsg::RequestWithdrawal {
                amount: Uint128::zero(),
            }),
        ),
        (
            member.clone(),
            f(fund::ExecuteMsg::RequestWithdrawal {
                amount: Uint128::MAX,
            }),
        ),
        (
            engine.clone(),
            f(fund::ExecuteMsg::DeclareDefault {
                member: member.to_string(),
                loss: Uint128::zero(),
            }),
        ),
        (
            engine.clone(),
            f(fund::ExecuteMsg::DeclareDefault {
                member: nobody.clone(),
                loss: Uint128::one(),
            }),
        ),
        (
            member.clone(),
            f(fund::ExecuteMsg::EnforceAssessment {
                member: nobody.clone(),
            }),
        ),
        (
            member.clone(),
            f(fund::ExecuteMsg::EnforceReplenishment {
                member: nobody.clone(),
            }),
        ),
        (
            member.clone(),
            f(fund::ExecuteMsg::CompleteExit {
                member: nobody.clone(),
            }),
        ),
        (
            gov.clone(),
            f(fund::ExecuteMsg::CloseDefault {
                member: nobody.clone(),
            }),
        ),
        (
            gov.clone(),
            f(fund::ExecuteMsg::UpdateParams { params: bad_params }),
        ),
        (
            gov.clone(),
            f(fund::ExecuteMsg::UpdateParams { params: bad_cover }),
        ),
        (
            engine.clone(),
            f(fund::ExecuteMsg::PostExposures { exposures: vec![] }),
        ),
        (
            engine.clone(),
            f(fund::ExecuteMsg::PostExposures {
                exposures: vec![fund::ExposurePost {
                    member: nobody.clone(),
                    amount: Uint128::one(),
                }],
            }),
        ),
        (
            engine.clone(),
            f(fund::ExecuteMsg::Suspend {
                member: nobody.clone(),
            }),
        ),
        (
            engine.clone(),
            wasm(
                &vault_addr,
                &vault::ExecuteMsg::SetRequiredMargin {
                    member: nobody.clone(),
                    amount: Uint128::one(),
                },
            ),
        ),
        (member.clone(), raw_to(&fund_addr, "{\"contribute\":")),
        (
            member.clone(),
            raw_to(&fund_addr, "{\"request_withdrawal\":{\"amount\":\"-1\"}}"),
        ),
        (member.clone(), raw_to(&vault_addr, "{\"withdraw\":{}}")),
        (
            member.clone(),
            raw_to(&fund_addr, "{\"claim_fees\":{},\"claim_recoveries\":{}}"),
        ),
        // Unknown fields are refused at parse (20c75d6), also in messages
        // that the sender may otherwise send.
        (
            member.clone(),
            raw_to(&fund_addr, "{\"request_exit\":{\"memo\":\"x\"}}"),
        ),
        (
            member.clone(),
            raw_to(
                &fund_addr,
                "{\"request_withdrawal\":{\"amount\":\"1\",\"extra\":1}}",
            ),
        ),
        (
            member.clone(),
            raw_to(
                &vault_addr,
                "{\"withdraw\":{\"amount\":\"1\",\"to\":\"someone\"}}",
            ),
        ),
        (
            gov.clone(),
            raw_to(&fund_addr, "{\"shutdown\":{\"now\":true}}"),
        ),
        (
            member.clone(),
            wasm(
                &vault_addr,
                &vault::ExecuteMsg::CloseAccount {
                    member: nobody.clone(),
                },
            ),
        ),
        // A keeper's settlement: nobody, an unknown address, too many.
        (
            member.clone(),
            f(fund::ExecuteMsg::SettleMembers { members: vec![] }),
        ),
        (
            member.clone(),
            f(fund::ExecuteMsg::SettleMembers {
                members: vec![nobody.clone()],
            }),
        ),
        (
            member.clone(),
            f(fund::ExecuteMsg::SettleMembers {
                members: vec![member.to_string(); 31],
            }),
        ),
    ];
    let extra = 3;
    let pick = k % (table.len() + extra);
    if pick < table.len() {
        let (sender, msg) = table[pick].clone();
        refused(suite, "refusal", |s| s.app.execute(sender, msg))?;
        return Ok(());
    }
    match (pick - table.len(), suite.token.clone()) {
        // Wrong denomination, and the right one with another beside it.
        (0, None) => {
            sudo_mint(suite, &member, "uother", 10)?;
            refused(suite, "refusal", |s| {
                s.app.execute_contract(
                    member.clone(),
                    fund_addr.clone(),
                    &fund::ExecuteMsg::Contribute {},
                    &coins(10, "uother"),
                )
            })?;
        }
        (1, None) => {
            sudo_mint(suite, &member, "uother", 10)?;
            ok("mint", suite.mint(&member, 10))?;
            let funds = vec![
                cosmwasm_std::coin(10, "uother"),
                cosmwasm_std::coin(10, DENOM),
            ];
            refused(suite, "refusal", |s| {
                s.app.execute_contract(
                    member.clone(),
                    vault_addr.clone(),
                    &vault::ExecuteMsg::Deposit {},
                    &funds,
                )
            })?;
        }
        // cw20: native coins, or a foreign token's Send.
        (0, Some(_)) => {
            sudo_mint(suite, &member, DENOM, 10)?;
            refused(suite, "refusal", |s| {
                s.app.execute_contract(
                    member.clone(),
                    fund_addr.clone(),
                    &fund::ExecuteMsg::Contribute {},
                    &coins(10, DENOM),
                )
            })?;
        }
        (1, Some(_)) => {
            let foreign = suite.foreign_token(&member, 10);
            let msg = cw20::Cw20ExecuteMsg::Send {
                contract: fund_addr.to_string(),
                amount: Uint128::new(10),
                msg: cosmwasm_std::to_json_binary(&fund::ReceiveMsg::Contribute {}).unwrap(),
            };
            refused(suite, "refusal", |s| {
                s.app.execute_contract(member.clone(), foreign, &msg, &[])
            })?;
        }
        // A payment of an amount near u128::MAX the sender does not have.
        _ => {
            refused(suite, "refusal", |s| {
                s.pay_into(
                    &member,
                    &fund_addr,
                    u128::MAX,
                    &fund::ExecuteMsg::Contribute {},
                    &fund::ReceiveMsg::Contribute {},
                )
            })?;
        }
    }
    Ok(())
}

fn sudo_mint(
    suite: &mut Suite,
    who: &Addr,
    denom: &str,
    amount: u128,
) -> Result<(), TestCaseError> {
    suite
        .app
        .sudo(SudoMsg::Bank(BankSudo::Mint {
            to_address: who.to_string(),
            amount: coins(amount, denom),
        }))
        .map(|_| ())
        .map_err(|e| fail(format!("mint: {e:#}")))
}

// ---- the properties ---------------------------------------------------------------------

fn run(setup: Setup, actions: Vec<Action>) -> Result<(), TestCaseError> {
    let (mut suite, mut model) = build(&setup);
    check(&suite, &model).map_err(|e| fail(format!("after set-up: {e}")))?;
    for (k, a) in actions.iter().enumerate() {
        step(&mut suite, &mut model, a).map_err(|e| fail(format!("step {k} {a:?}: {e}")))?;
        check(&suite, &model).map_err(|e| fail(format!("after step {k} {a:?}: {e}")))?;
    }
    print_stats();
    Ok(())
}

/// Cases per property: `default`, or `PROPTEST_CASES` when set.
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Milliseconds a failing case is shrunk for: `PROPTEST_MAX_SHRINK_TIME`,
/// or a minute (the findings are pinned as fixed inputs anyway).
fn shrink_time() -> u32 {
    std::env::var("PROPTEST_MAX_SHRINK_TIME")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(60_000)
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases(40),
        max_shrink_time: shrink_time(),
        ..ProptestConfig::default()
    })]

    #[test]
    fn native_fund_follows_the_model(
        setup in setup(Settlement::Native, 6),
        actions in prop::collection::vec(action(), 1..70),
    ) {
        run(setup, actions)?;
    }

    #[test]
    fn cw20_fund_follows_the_model(
        setup in setup(Settlement::Cw20, 6),
        actions in prop::collection::vec(action(), 1..70),
    ) {
        run(setup, actions)?;
    }

    #[test]
    fn native_recoveries_follow_the_model(
        setup in recovery_setup(Settlement::Native),
        actions in prop::collection::vec(recovery_action(), 1..70),
    ) {
        run(setup, actions)?;
    }

    #[test]
    fn cw20_recoveries_follow_the_model(
        setup in recovery_setup(Settlement::Cw20),
        actions in prop::collection::vec(recovery_action(), 1..70),
    ) {
        run(setup, actions)?;
    }

    #[test]
    fn native_exits_follow_the_model(
        setup in exit_setup(Settlement::Native),
        actions in prop::collection::vec(exit_action(), 1..70),
    ) {
        run(setup, actions)?;
    }

    #[test]
    fn cw20_exits_follow_the_model(
        setup in exit_setup(Settlement::Cw20),
        actions in prop::collection::vec(exit_action(), 1..70),
    ) {
        run(setup, actions)?;
    }
}

/// Findings pinned as fixed inputs through the same model and checks (the
/// seeds in `prop_fund_model.proptest-regressions` depend on the
/// strategies; these do not). Member indices are multiples of 4 where the
/// step would otherwise pick a relevant member (`pick`).
fn pinned(members: Vec<(u128, u128, u128)>, params: ParamsChange, actions: Vec<Action>) {
    for settlement in [Settlement::Native, Settlement::Cw20] {
        let setup = Setup {
            settlement,
            params: params.clone(),
            sitg: 0,
            members: members.clone(),
        };
        if let Err(e) = run(setup, actions.clone()) {
            panic!("{settlement:?}: {e}");
        }
    }
}

fn plain_params() -> ParamsChange {
    ParamsChange {
        min: 0,
        rate: Decimal::zero(),
        multiple: Decimal::zero(),
        basis: Basis::RequiredMargin,
        replenishment: REPLENISHMENT,
        limit: None,
    }
}

/// Fees accrue to the contributors pro rata to their balances (SPEC §3),
/// never to the pool's dust: a and c hold 1 each; x's default takes half
/// of each (0.5 each); c leaves with its 0.5, paid 0, the 0.5 staying in
/// the pool as dust; fees of 10 are then all a's, the only contributor.
/// (Fixed by 20c75d6: the fund spread them over `D` = 1, a got 5.)
#[test]
fn fees_go_to_the_contributors_not_to_the_dust() {
    pinned(
        vec![(0, 0, 1), (0, 0, 1), (0, 0, 0)],
        plain_params(),
        vec![
            Action::DeclareDefault(8, 1, false),
            Action::RequestExit(1),
            Action::Advance(12 * DAY),
            Action::CompleteExit(4),
            Action::DistributeFees(10),
        ],
    );
}

/// Fees sent when no member has a balance are refused (SPEC §3): after x's
/// default leaves a and c 0.5 each and both leave (paid 0 each), the pool
/// holds 1 unit of dust and no member balance. (Fixed by 20c75d6: fees of
/// 7 were accepted, claimable by nobody.)
#[test]
fn fees_with_no_member_balance_are_refused() {
    pinned(
        vec![(0, 0, 1), (0, 0, 1), (0, 0, 0)],
        plain_params(),
        vec![
            Action::DeclareDefault(8, 1, false),
            Action::RequestExit(0),
            Action::RequestExit(1),
            Action::Advance(12 * DAY),
            Action::CompleteExit(0),
            Action::CompleteExit(4),
            Action::DistributeFees(7),
        ],
    );
}

// ---- findings on 20c75d6, pinned as fixed inputs (fixed by 688c066) ---------------------

fn params(min: u128, rate: u64, multiple: u64, replenishment: u64) -> FundParams {
    Params {
        min,
        rate: Decimal::percent(rate),
        multiple: Decimal::percent(multiple),
        basis: Basis::RequiredMargin,
        replenishment,
        limit: None,
    }
    .fund()
}

fn paid_to(suite: &mut Suite, name: &str, f: impl FnOnce(&mut Suite)) -> u128 {
    let before = suite.balance_of(name);
    f(suite);
    suite.balance_of(name) - before
}

/// A lower requirement that closes a breached shortfall ends the breach.
/// Min 0, rate
/// 50%, replenishment 3 days; a: margin 100, required margin 100, no
/// contribution: its requirement is 50, short by 50 from admission. After
/// 3 days an enforcement draws nothing (no excess margin): in breach.
/// The risk engine then sets a's required margin to 0: requirement 0, no
/// shortfall, nothing overdue: a is active again and may take its margin
/// out. Found on 20c75d6 (it stayed in breach, its margin withdrawal
/// refused, until some later fund-wide event settled it:
/// `vault_hooks::requirement_changed` re-tracked the shortfall without
/// ending the breach); also the seed `ec8a306d…`.
#[test]
fn a_lower_requirement_ends_a_breach_of_the_shortfall() {
    for settlement in [Settlement::Native, Settlement::Cw20] {
        let mut suite = SuiteBuilder::new()
            .settlement(settlement)
            .params(params(0, 50, 0, 3 * DAY))
            .sitg(0)
            .member("a", 100, 100, 0)
            .member("b", 0, 0, 0)
            .build();
        assert_eq!(suite.fund_member("a").shortfall.u128(), 50);
        suite.advance(3 * DAY);
        suite.enforce_replenishment("a").unwrap();
        assert_eq!(suite.fund_member("a").status, MemberStatus::InBreach);
        suite.set_required_margin("a", 0).unwrap();
        let a = suite.fund_member("a");
        assert_eq!(
            (
                a.shortfall.u128(),
                a.replenishment_overdue.u128(),
                a.assessment_overdue.u128()
            ),
            (0, 0, 0),
            "{settlement:?}: nothing is overdue"
        );
        assert_eq!(
            a.status,
            MemberStatus::Active,
            "{settlement:?}: nothing is overdue, the breach should have ended"
        );
        suite.withdraw_margin("a", 100).unwrap();
    }
}

/// A breach that a recovery ended does not come back with a later
/// recovery. Min
/// 0, rate 50%, multiple 2, deadline 1 day, replenishment 100 days (no
/// shortfall falls due), SITG 0; a and b (required margin 200 each:
/// requirement 100), d1 and d2 (requirement 0), no margin, no balances.
/// d1 defaults with 200: a and b owe 100 each; after the deadline an
/// enforcement puts a in breach. d2 defaults with 100 (same cooling-off
/// period, cap (2 − 1) × 200): a and b owe 50 each, due a day later. Both
/// defaults are closed; 200 recovered on d1 cancel a's 100: nothing is
/// overdue, a is shown active. A day later its 50 for d2 falls due (still
/// active: nothing enforced it). Then 20 recovered on d2 cancel 10 of it:
/// a stays active (40 overdue, never enforced). Found on 20c75d6 (in
/// breach again: `ledger::settle_at` ended a breach only as of the latest
/// recovery it credited, so a record not saved since the first recovery
/// lost the moment the breach ended).
#[test]
fn a_breach_a_recovery_ended_does_not_come_back_with_a_later_one() {
    for settlement in [Settlement::Native, Settlement::Cw20] {
        let mut suite = SuiteBuilder::new()
            .settlement(settlement)
            .params(params(0, 50, 200, 100 * DAY))
            .sitg(0)
            .member("a", 0, 200, 0)
            .member("b", 0, 200, 0)
            .member("d1", 0, 0, 0)
            .member("d2", 0, 0, 0)
            .build();
        suite.declare_default("d1", 200).unwrap();
        assert_eq!(suite.fund_member("a").assessment_owed.u128(), 100);
        suite.advance(DEADLINE + 1);
        suite.enforce_assessment("a").unwrap();
        assert_eq!(suite.fund_member("a").status, MemberStatus::InBreach);
        suite.declare_default("d2", 100).unwrap();
        assert_eq!(suite.fund_member("a").assessment_owed.u128(), 150);
        suite.close_default("d1").unwrap();
        suite.close_default("d2").unwrap();
        suite.advance(10);
        suite.record_recovery(1, 200).unwrap();
        let a = suite.fund_member("a");
        assert_eq!(
            (a.assessment_owed.u128(), a.assessment_overdue.u128()),
            (50, 0)
        );
        assert_eq!(
            a.status,
            MemberStatus::Active,
            "{settlement:?}: nothing overdue"
        );
        suite.advance(DEADLINE);
        let a = suite.fund_member("a");
        assert_eq!(a.assessment_overdue.u128(), 50);
        assert_eq!(
            a.status,
            MemberStatus::Active,
            "{settlement:?}: not enforced"
        );
        suite.record_recovery(2, 20).unwrap();
        let a = suite.fund_member("a");
        assert_eq!(a.assessment_overdue.u128(), 40);
        assert_eq!(
            a.status,
            MemberStatus::Active,
            "{settlement:?}: a recovery put a back in breach"
        );
    }
}

/// A suspended member's recovery credits are not locked by its default
/// (cb798ee): layer 2 takes them, and the credits that reach it after its
/// default go to its own default (reverse order), by anyone's
/// `SettleMembers` (also while its default is open) or by its own
/// `ClaimRecoveries` once closed (paid nothing). Min 0, rate 0, multiple
/// 0, SITG 0; a holds 4. x defaults with 10 (layer 4 takes a's 4, 6
/// uncovered) and is closed; 2 recovered on it credit 2 to a. The risk
/// engine suspends a (its claim is refused); a defaults with 5: layer 2
/// takes its 2 of credits, 3 uncovered, nothing held, the suspension
/// lifted. 1 more recovered on x credits 1 to a: its claim is refused
/// (default open), a keeper's `SettleMembers` passes it on to a's
/// uncovered layer (to the loss recipient). a's default is closed; 1 more
/// recovered on x: a's `ClaimRecoveries` pays it nothing and passes the 1
/// on; a second claim is refused (nothing to pass on). Nothing stays in
/// the fund for a. (Found on 20c75d6 as a suspended defaulter that never
/// collected its credits; 688c066 let it collect them once closed;
/// cb798ee gives them to those who bore its loss.) Also run through the
/// model (`pinned`).
#[test]
fn a_suspended_defaulters_credits_go_to_its_loss_and_nothing_is_locked() {
    for settlement in [Settlement::Native, Settlement::Cw20] {
        let mut suite = SuiteBuilder::new()
            .settlement(settlement)
            .params(params(0, 0, 0, REPLENISHMENT))
            .sitg(0)
            .member("a", 0, 0, 4)
            .member("b", 0, 0, 0)
            .member("x", 0, 0, 0)
            .build();
        let dx = suite.declare_default("x", 10).unwrap();
        assert_eq!(
            (dx.layers.mutual_fund.u128(), dx.layers.uncovered.u128()),
            (4, 6)
        );
        suite.close_default("x").unwrap();
        suite.record_recovery(dx.id, 2).unwrap();
        assert_eq!(suite.fund_member("a").recovered.u128(), 2);
        suite.suspend("a").unwrap();
        suite.refused(|s| s.claim_recoveries("a"));
        let da = suite.declare_default("a", 5).unwrap();
        let l = &da.layers;
        assert_eq!(
            (l.defaulter_contribution.u128(), l.uncovered.u128()),
            (2, 3),
            "{settlement:?}: layer 2 takes a's credits"
        );
        let a = suite.fund_member("a");
        assert_eq!(
            (a.recovered.u128(), a.held.u128(), a.suspended),
            (0, 0, false)
        );
        assert_eq!(suite.fund_state().recoveries_held.u128(), 0);

        // A later credit, passed on by a keeper while a's default is open.
        suite.record_recovery(dx.id, 1).unwrap();
        assert_eq!(suite.fund_member("a").recovered.u128(), 1);
        suite.refused(|s| s.claim_recoveries("a"));
        let recipient = suite.recipient_wallet();
        let keeper = suite.addr("keeper");
        let members = vec![suite.addr("a").to_string()];
        suite
            .execute_fund(&keeper, &fund::ExecuteMsg::SettleMembers { members })
            .unwrap();
        assert_eq!(suite.recipient_wallet() - recipient, 1);
        assert_eq!(suite.fund_member("a").recovered.u128(), 0);

        // Another, passed on by a's own claim once its default is closed.
        suite.close_default("a").unwrap();
        suite.record_recovery(dx.id, 1).unwrap();
        let recipient = suite.recipient_wallet();
        let paid = paid_to(&mut suite, "a", |s| {
            s.claim_recoveries("a").unwrap();
        });
        assert_eq!(
            (paid, suite.recipient_wallet() - recipient),
            (0, 1),
            "{settlement:?}: (paid to a, repaid to the loss recipient)"
        );
        let e = suite.refused(|s| s.claim_recoveries("a"));
        assert_eq!(
            *clearing_suite::fund_flows::fund_err(&e),
            default_fund::ContractError::NothingToClaim {}
        );
        let rec = suite.default_receipt(da.id).recovered;
        assert_eq!((rec.uncovered.u128(), rec.defaulter.u128()), (2, 0));
        let a = suite.fund_member("a");
        assert_eq!((a.recovered.u128(), a.held.u128()), (0, 0));
        assert_eq!(suite.fund_state().recoveries_held.u128(), 0);
        suite.assert_conservation();
    }
    // The same through the model: a = m0, x = m2 (`pick`).
    pinned(
        vec![(0, 0, 4), (0, 0, 0), (0, 0, 0)],
        plain_params(),
        vec![
            Action::DeclareDefault(8, 10, false),
            Action::CloseDefault(8),
            Action::RecordRecovery(0, 2),
            Action::Suspend(0),
            Action::ClaimRecoveries(0),
            Action::DeclareDefault(0, 5, false),
            Action::RecordRecovery(0, 1),
            Action::ClaimRecoveries(0),
            Action::SettleMembers(0),
            Action::CloseDefault(0),
            Action::RecordRecovery(0, 1),
            Action::ClaimRecoveries(0),
            Action::ClaimRecoveries(0),
        ],
    );
}

// ---- findings on cb798ee, pinned as fixed inputs ----------------------------------------

/// A former defaulter keeps no later credit (cb798ee: the credits that
/// reach it after its default go to its own default as a recovery, in
/// reverse order), also the part of a joined share's credit that stands
/// for what it had paid of that share itself.
///
/// Steps: min 100, rate 0, multiple 2, deadline 1 day, replenishment 100
/// days, SITG 0; x, y, a, b with no balances; y has 40 of margin, its
/// requirement 0. x defaults with 300: B = 300, A = 300, 100 each (y, a,
/// b). After the deadline an enforcement draws y's 40: y owes 60. a and b
/// pay. y defaults with 100 + its unpaid 60 = 160: its margin is gone,
/// B = 200, cap (2 − 1) × 200, A = 160, 80 each (a, b), who pay. Both
/// defaults are closed; 300 recovered on x: its assessment layer, 100
/// credited to each of y, a, b.
///
/// Expected: a and b 100 each from x's default; y's 100 is a credit that
/// reaches y after its default, so all of it goes to y's default as a
/// recovery: its assessment layer (160) takes it, 50 to each of a and b:
/// a and b 150 each, nothing held for y, y's default shows 100 recovered
/// on its assessment layer.
#[test]
fn a_defaulters_whole_credit_on_a_joined_share_goes_to_its_own_default() {
    for settlement in [Settlement::Native, Settlement::Cw20] {
        let mut suite = SuiteBuilder::new()
            .settlement(settlement)
            .params(params(100, 0, 200, 100 * DAY))
            .sitg(0)
            .member("x", 0, 0, 0)
            .member("y", 40, 0, 0)
            .member("a", 0, 0, 0)
            .member("b", 0, 0, 0)
            .build();
        let dx = suite.declare_default("x", 300).unwrap();
        assert_eq!(dx.layers.assessments.u128(), 300);
        suite.advance(DEADLINE + 1);
        suite.enforce_assessment("y").unwrap();
        assert_eq!(suite.fund_member("y").assessment_owed.u128(), 60);
        suite.pay_assessment("a").unwrap();
        suite.pay_assessment("b").unwrap();
        let dy = suite.declare_default("y", 100).unwrap();
        assert_eq!(
            (dy.unpaid_assessments.u128(), dy.layers.assessments.u128()),
            (60, 160)
        );
        suite.pay_assessment("a").unwrap();
        suite.pay_assessment("b").unwrap();
        suite.close_default("x").unwrap();
        suite.close_default("y").unwrap();
        suite.record_recovery(dx.id, 300).unwrap();
        let got = (
            suite.fund_member("a").recovered.u128(),
            suite.fund_member("b").recovered.u128(),
            suite.fund_member("y").held.u128(),
            suite.default_receipt(dy.id).recovered.assessments.u128(),
        );
        suite.assert_conservation();
        assert_eq!(
            got,
            (150, 150, 0, 100),
            "{settlement:?}: (a's credit, b's credit, held for y, recovered on y's assessment layer)"
        );
    }
}
