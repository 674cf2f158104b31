use clearing_types::fund::{
    CoolingOff, DefaultReceipt, FundParams, MemberStatus, PendingWithdrawal,
};
use clearing_types::fund_storage::{MEMBERS_NAMESPACE, POOL_NAMESPACE, TOTALS_NAMESPACE};
use clearing_types::SettlementAsset;
use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Addr, Timestamp, Uint128, Uint256, Uint512};
use cw_storage_plus::{Item, Map};

use crate::pool::{Pool, Snapshot};

#[cw_serde]
pub struct Config {
    pub governance: Addr,
    pub risk_engine: Addr,
    pub operator: Addr,
    pub loss_recipient: Addr,
    pub vault: Addr,
    pub asset: SettlementAsset,
    pub paused: bool,
    pub shutdown: bool,
}

/// Fund-wide figures other than the indexes.
#[cw_serde]
#[derive(Default)]
pub struct Totals {
    pub sitg: Uint128,
    /// Fees distributed and not yet claimed.
    pub fees_unclaimed: Uint128,
    /// Defaulters' contributions left after layer 2.
    pub released_pending: Uint128,
    pub uncovered_total: Uint128,
    pub active_members: u64,
    pub defaults: u64,
    pub open_defaults: u64,
    pub cooling_off: Option<CoolingOff>,
    pub last_default_at: Option<Timestamp>,
}

#[cw_serde]
pub struct MemberState {
    /// Balance when last settled, in sub-units; see `pool::Pool::compounded`.
    pub deposit: Uint256,
    pub snapshot: Snapshot,
    /// Fees settled and not yet claimed.
    pub fees: Uint128,
    pub required_margin: Uint128,
    /// The required contribution counted in the pool's `total_required`.
    pub required_contribution: Uint128,
    /// Assessment index when last settled.
    pub assess_index: Uint512,
    /// Assessment sequence number when last settled.
    pub assess_seq: u64,
    /// Assessments settled and not yet paid.
    pub owed: Uint128,
    /// When `owed` is due (the latest deadline among what it holds).
    pub owed_due: Option<Timestamp>,
    pub withdrawal: Option<PendingWithdrawal>,
    pub status: MemberStatus,
    /// A defaulter's contribution left after the waterfall.
    pub released: Uint128,
    /// How many defaults had happened when the member joined: replenishment
    /// applies only after a later one.
    pub defaults_at_join: u64,
}

/// One default that assessed members.
#[cw_serde]
pub struct AssessmentRecord {
    pub default_id: u64,
    /// The assessment index once this default was added.
    pub index_after: Uint512,
    pub due: Timestamp,
}

pub const CONFIG: Item<Config> = Item::new("config");
pub const PARAMS: Item<FundParams> = Item::new("params");
// The vault and governance read these three raw (`clearing_types::fund_storage`).
pub const POOL: Item<Pool> = Item::new(POOL_NAMESPACE);
pub const TOTALS: Item<Totals> = Item::new(TOTALS_NAMESPACE);
pub const MEMBERS: Map<&Addr, MemberState> = Map::new(MEMBERS_NAMESPACE);
/// Fee sums per (epoch, scale).
pub const FEE_SUMS: Map<(u64, u64), Uint512> = Map::new("fee_sums");
/// Assessing defaults by sequence number.
pub const ASSESSMENTS: Map<u64, AssessmentRecord> = Map::new("assessments");
/// The same by (due seconds, sequence number), to find the latest one due.
pub const ASSESSMENTS_BY_DUE: Map<(u64, u64), ()> = Map::new("assessments_by_due");
/// Every default's receipt by id (1-based).
pub const DEFAULTS: Map<u64, DefaultReceipt> = Map::new("defaults");
/// A defaulter's default id.
pub const DEFAULT_OF: Map<&Addr, u64> = Map::new("default_of");

#[cfg(test)]
mod tests {
    use super::*;
    use clearing_types::fund_storage::{MemberView, PoolView, SnapshotView, TotalsView};
    use cosmwasm_std::testing::MockStorage;

    /// The vault and governance read these records with the views of
    /// `clearing_types::fund_storage`, under the same keys: each view must
    /// decode what the fund writes.
    #[test]
    fn raw_views_decode_what_the_fund_stores() {
        let mut storage = MockStorage::new();
        let addr = Addr::unchecked("cosmwasm1member");
        let member = MemberState {
            deposit: Uint256::from(123_000_000_000_000_000_000u128),
            snapshot: Snapshot {
                p: Uint256::from(7u8),
                fee_sum: Uint512::from(9u8),
                scale: 1,
                epoch: 2,
            },
            fees: Uint128::new(5),
            required_margin: Uint128::new(1_000),
            required_contribution: Uint128::new(100),
            assess_index: Uint512::from(42u8),
            assess_seq: 3,
            owed: Uint128::new(77),
            owed_due: Some(Timestamp::from_seconds(1_700_000_000)),
            withdrawal: Some(PendingWithdrawal {
                amount: Uint128::new(10),
                claimable_at: Timestamp::from_seconds(1_800_000_000),
            }),
            status: MemberStatus::InBreach,
            released: Uint128::zero(),
            defaults_at_join: 1,
        };
        MEMBERS.save(&mut storage, &addr, &member).unwrap();
        let view = Map::<&Addr, MemberView>::new(MEMBERS_NAMESPACE)
            .load(&storage, &addr)
            .unwrap();
        assert_eq!(
            view,
            MemberView {
                deposit: member.deposit,
                snapshot: SnapshotView {
                    p: Uint256::from(7u8),
                    scale: 1,
                    epoch: 2,
                },
                status: MemberStatus::InBreach,
                owed: Uint128::new(77),
                owed_due: Some(Timestamp::from_seconds(1_700_000_000)),
                assess_seq: 3,
            }
        );

        let pool = Pool {
            total_deposits: Uint256::from(5_000_000_000_000_000_000_000u128),
            p: Uint256::from(3u8),
            scale: 1,
            epoch: 2,
            assess_seq: 4,
            ..Pool::default()
        };
        POOL.save(&mut storage, &pool).unwrap();
        let pool_view = Item::<PoolView>::new(POOL_NAMESPACE)
            .load(&storage)
            .unwrap();
        assert_eq!(
            pool_view,
            PoolView {
                total_deposits: pool.total_deposits,
                p: pool.p,
                scale: 1,
                epoch: 2,
                assess_seq: 4,
            }
        );
        // Governance weighs votes by the same balances the fund computes.
        assert_eq!(
            pool_view.total_balance().unwrap(),
            pool.total_balance().unwrap()
        );
        assert_eq!(
            view.balance(&pool_view).unwrap(),
            crate::member::balance(&pool, &member).unwrap()
        );
        assert_eq!(view.balance(&pool_view).unwrap(), Uint128::new(52)); // 123 × 3/7

        let totals = Totals {
            active_members: 100_000,
            open_defaults: 2,
            defaults: 5,
            ..Totals::default()
        };
        TOTALS.save(&mut storage, &totals).unwrap();
        let view = Item::<TotalsView>::new(TOTALS_NAMESPACE)
            .load(&storage)
            .unwrap();
        assert_eq!(
            view,
            TotalsView {
                active_members: 100_000,
                open_defaults: 2
            }
        );
    }
}
