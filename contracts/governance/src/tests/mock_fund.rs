//! A stand-in for the default fund's storage: it writes the fund's layout
//! with the very cw-storage-plus objects of `clearing_types::fund_storage`
//! (`POOL`, `VOTERS`, `MEMBERS`, `EVENTS`), at the block height of each
//! change, as the fund does, so that governance's raw reads see exactly
//! what the real fund writes. Balances follow the fund's rules: a member's
//! exact stake as of an event, later losses applied through the history,
//! `D` an integer at least the sum of the exact stakes.

use std::cell::RefCell;
use std::rc::Rc;

use clearing_types::fund::MemberStatus;
use clearing_types::fund_storage::{PoolTotals, VoterRecord, EVENTS, MEMBERS, POOL, VOTERS};
use clearing_types::ledger::{Basis, EventKind, FundEvent, LossFactor, MemberRecord, Regime};
use clearing_types::ratio::{Ratio, Rounding};
use cosmwasm_std::testing::MockStorage;
use cosmwasm_std::{Addr, Decimal, Timestamp, Uint128};

pub struct MockFund {
    pub addr: Addr,
    pub store: Rc<RefCell<MockStorage>>,
}

fn regime() -> Regime {
    Regime {
        min_contribution: Uint128::zero(),
        contribution_rate: Decimal::zero(),
        basis: Basis::RequiredMargin,
        replenishment_period: 86_400,
        wind_down: false,
    }
}

impl MockFund {
    pub fn new(addr: Addr) -> Self {
        let fund = MockFund {
            addr,
            store: Rc::new(RefCell::new(MockStorage::default())),
        };
        // The fund writes its pool at instantiation.
        POOL.save(&mut *fund.store.borrow_mut(), &PoolTotals::default(), 1)
            .unwrap();
        fund
    }

    pub fn pool(&self) -> PoolTotals {
        POOL.load(&*self.store.borrow()).unwrap()
    }

    fn save_pool(&self, mut pool: PoolTotals, height: u64) {
        pool.changed_at = height;
        POOL.save(&mut *self.store.borrow_mut(), &pool, height)
            .unwrap();
    }

    pub fn member(&self, who: &Addr) -> MemberRecord {
        MEMBERS.load(&*self.store.borrow(), who).unwrap()
    }

    fn voter(&self, who: &Addr) -> VoterRecord {
        VOTERS.load(&*self.store.borrow(), who).unwrap()
    }

    /// A member's exact stake now: its record's stake after the losses of
    /// every default since.
    pub fn stake(&self, who: &Addr) -> Ratio {
        let v = self.voter(who);
        let head = self.pool().head;
        let mut stake = v.stake;
        for seq in v.seq + 1..=head {
            let e = EVENTS.load(&*self.store.borrow(), seq).unwrap();
            if let EventKind::Default { loss: Some(f), .. } = e.kind {
                stake = f.apply(&stake).unwrap();
            }
        }
        stake
    }

    /// Writes the member's record and its voter record as of the head.
    fn write_member(&self, who: &Addr, mut m: MemberRecord, stake: Ratio, height: u64) {
        let head = self.pool().head;
        m.stake = stake.clone();
        m.seq = head;
        let eligible = m.may_vote();
        MEMBERS
            .save(&mut *self.store.borrow_mut(), who, &m)
            .unwrap();
        VOTERS
            .save(
                &mut *self.store.borrow_mut(),
                who,
                &VoterRecord {
                    stake,
                    seq: head,
                    eligible,
                    changed_at: height,
                },
                height,
            )
            .unwrap();
    }

    /// Governance admits a member (no balance yet).
    pub fn admit(&self, who: &Addr, height: u64) {
        let head = self.pool().head;
        let m = MemberRecord::new(Uint128::zero(), Uint128::zero(), head, Ratio::zero());
        self.write_member(who, m, Ratio::zero(), height);
        let mut pool = self.pool();
        pool.voters += 1;
        self.save_pool(pool, height);
    }

    pub fn contribute(&self, who: &Addr, amount: u128, height: u64) {
        let m = self.member(who);
        let stake = self.stake(who).add_int(Uint128::new(amount)).unwrap();
        let eligible = m.may_vote();
        self.write_member(who, m, stake, height);
        let mut pool = self.pool();
        pool.total += Uint128::new(amount);
        if !eligible {
            pool.ineligible = pool.ineligible.add_int(Uint128::new(amount)).unwrap();
        }
        self.save_pool(pool, height);
    }

    /// A withdrawal claim (or exit payout) of `amount` whole units.
    pub fn withdraw(&self, who: &Addr, amount: u128, height: u64) {
        let m = self.member(who);
        let stake = self.stake(who).sub_int(Uint128::new(amount)).unwrap();
        let eligible = m.may_vote();
        self.write_member(who, m, stake, height);
        let mut pool = self.pool();
        pool.total -= Uint128::new(amount);
        if !eligible {
            pool.ineligible = pool
                .ineligible
                .saturating_sub(&Ratio::from_int(amount), Rounding::Down)
                .unwrap();
        }
        self.save_pool(pool, height);
    }

    /// Changes what makes a member eligible, keeping the pool's `voters`
    /// and `ineligible` in step.
    fn set_flags(&self, who: &Addr, height: u64, f: impl FnOnce(&mut MemberRecord)) {
        let mut m = self.member(who);
        let before = m.may_vote();
        f(&mut m);
        let after = m.may_vote();
        let stake = self.stake(who);
        self.write_member(who, m, stake.clone(), height);
        if before != after {
            let mut pool = self.pool();
            if after {
                pool.voters += 1;
                pool.ineligible = pool
                    .ineligible
                    .saturating_sub(&stake, Rounding::Down)
                    .unwrap();
            } else {
                pool.voters -= 1;
                pool.ineligible = pool.ineligible.add(&stake, Rounding::Down).unwrap();
            }
            self.save_pool(pool, height);
        }
    }

    pub fn suspend(&self, who: &Addr, height: u64) {
        self.set_flags(who, height, |m| m.suspended = true);
    }

    pub fn unsuspend(&self, who: &Addr, height: u64) {
        self.set_flags(who, height, |m| m.suspended = false);
    }

    /// The member gives notice to exit at block `height`, time `at`.
    pub fn give_notice(&self, who: &Addr, height: u64, at: Timestamp) {
        self.set_flags(who, height, |m| m.exit_notice_at = Some(at));
    }

    /// An overdue obligation could not be drawn: in breach, still a voter.
    /// The fund writes no voter record (neither stake nor eligibility change).
    pub fn breach(&self, who: &Addr) {
        let mut m = self.member(who);
        m.status = MemberStatus::InBreach;
        MEMBERS
            .save(&mut *self.store.borrow_mut(), who, &m)
            .unwrap();
    }

    /// A default of `who`: its balance leaves the pool (layer 2, what is
    /// left held for it), and the survivors lose `mutual_loss` pro rata
    /// (layer 4) through a loss factor in the history; no survivor's
    /// record is written.
    pub fn default(&self, who: &Addr, mutual_loss: u128, height: u64) {
        let mut m = self.member(who);
        let was_eligible = m.may_vote();
        let balance = self.stake(who);
        let mut pool = self.pool();
        pool.total -= balance.floor().unwrap();
        if !was_eligible {
            pool.ineligible = pool
                .ineligible
                .saturating_sub(&balance, Rounding::Down)
                .unwrap();
        } else {
            pool.voters -= 1;
        }
        let of = pool.total;
        let loss = (mutual_loss > 0).then(|| LossFactor::whole(of.u128() - mutual_loss, of.u128()));
        if mutual_loss > 0 {
            pool.total = of - Uint128::new(mutual_loss);
        }
        if let Some(f) = &loss {
            pool.ineligible = f.apply(&pool.ineligible).unwrap();
        }
        pool.head += 1;
        let event = FundEvent {
            at: Timestamp::from_seconds(height),
            regime: regime(),
            fee_sum: Ratio::zero(),
            kind: EventKind::Default {
                default_id: pool.head,
                member: who.clone(),
                loss,
                assessment: None,
            },
        };
        EVENTS
            .save(&mut *self.store.borrow_mut(), pool.head, &event)
            .unwrap();
        self.save_pool(pool, height);
        m.status = MemberStatus::Defaulted;
        self.write_member(who, m, Ratio::zero(), height);
    }

    /// Governance closes the default.
    pub fn close_default(&self, who: &Addr) {
        let mut m = self.member(who);
        m.status = MemberStatus::Closed;
        MEMBERS
            .save(&mut *self.store.borrow_mut(), who, &m)
            .unwrap();
    }

    /// The member's balance now, whole units.
    pub fn balance(&self, who: &Addr) -> u128 {
        self.stake(who).floor().unwrap().u128()
    }
}
