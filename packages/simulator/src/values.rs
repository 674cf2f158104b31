//! The two kinds of number a scenario file spells as strings: amounts of
//! the settlement asset (`"1000"`, a whole `u128`) and rates (`"0.1"`, a
//! `Decimal`). Both refuse anything else with a message that says what was
//! expected, so serde can attach the field and the line to it.

use std::fmt;
use std::str::FromStr;

use cosmwasm_std::Decimal;
use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;

/// A whole number of settlement-asset units.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Amount(pub u128);

impl Amount {
    pub fn u128(self) -> u128 {
        self.0
    }
}

impl FromStr for Amount {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let why = if s.is_empty() {
            "it is empty"
        } else if s.starts_with('-') {
            "amounts cannot be negative"
        } else if s.contains(['.', 'e', 'E']) {
            "amounts are whole units, without decimals or exponents"
        } else if !s.bytes().all(|b| b.is_ascii_digit()) {
            "only the digits 0-9 are allowed"
        } else {
            return s
                .parse::<u128>()
                .map(Amount)
                .map_err(|_| format!("invalid amount \"{s}\": it does not fit in a u128"));
        };
        Err(format!("invalid amount \"{s}\": {why}"))
    }
}

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct AmountVisitor;

        impl Visitor<'_> for AmountVisitor {
            type Value = Amount;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an amount as a decimal string, such as \"1000\"")
            }

            fn visit_str<E: de::Error>(self, s: &str) -> Result<Amount, E> {
                s.parse().map_err(E::custom)
            }

            fn visit_u64<E: de::Error>(self, n: u64) -> Result<Amount, E> {
                Err(E::custom(format!(
                    "amounts are decimal strings: write \"{n}\", not {n}"
                )))
            }

            fn visit_i64<E: de::Error>(self, n: i64) -> Result<Amount, E> {
                Err(E::custom(format!(
                    "amounts are non-negative decimal strings, not the number {n}"
                )))
            }

            fn visit_f64<E: de::Error>(self, n: f64) -> Result<Amount, E> {
                Err(E::custom(format!(
                    "amounts are whole decimal strings, not the number {n}"
                )))
            }
        }

        deserializer.deserialize_any(AmountVisitor)
    }
}

/// A non-negative decimal such as `contribution_rate` or
/// `assessment_multiple`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rate(pub Decimal);

impl FromStr for Rate {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let valid_chars = !s.is_empty()
            && s.bytes().all(|b| b.is_ascii_digit() || b == b'.')
            && s.bytes().filter(|&b| b == b'.').count() <= 1;
        if !valid_chars {
            return Err(format!(
                "invalid decimal \"{s}\": expected a non-negative decimal string such as \"0.1\""
            ));
        }
        Decimal::from_str(s)
            .map(Rate)
            .map_err(|e| format!("invalid decimal \"{s}\": {e}"))
    }
}

impl<'de> Deserialize<'de> for Rate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct RateVisitor;

        impl Visitor<'_> for RateVisitor {
            type Value = Rate;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a decimal string, such as \"0.1\"")
            }

            fn visit_str<E: de::Error>(self, s: &str) -> Result<Rate, E> {
                s.parse().map_err(E::custom)
            }

            fn visit_u64<E: de::Error>(self, n: u64) -> Result<Rate, E> {
                Err(E::custom(format!(
                    "rates are decimal strings: write \"{n}\", not {n}"
                )))
            }

            fn visit_i64<E: de::Error>(self, n: i64) -> Result<Rate, E> {
                Err(E::custom(format!(
                    "rates are non-negative decimal strings, not the number {n}"
                )))
            }

            fn visit_f64<E: de::Error>(self, n: f64) -> Result<Rate, E> {
                Err(E::custom(format!(
                    "rates are decimal strings: write \"{n}\", not {n}"
                )))
            }
        }

        deserializer.deserialize_any(RateVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_whole_non_negative_numbers() {
        assert_eq!("0".parse::<Amount>(), Ok(Amount(0)));
        assert_eq!("1000".parse::<Amount>(), Ok(Amount(1000)));
        assert_eq!(
            u128::MAX.to_string().parse::<Amount>(),
            Ok(Amount(u128::MAX))
        );
        for (bad, why) in [
            ("-5", "negative"),
            ("1.5", "without decimals"),
            ("1e6", "without decimals"),
            ("", "empty"),
            ("12a", "digits"),
            (" 1", "digits"),
            ("340282366920938463463374607431768211456", "u128"),
        ] {
            let err = bad.parse::<Amount>().unwrap_err();
            assert!(err.contains(why), "{bad}: {err}");
        }
    }

    #[test]
    fn rates_are_decimal_strings() {
        assert_eq!("0.1".parse::<Rate>(), Ok(Rate(Decimal::percent(10))));
        assert_eq!("2".parse::<Rate>(), Ok(Rate(Decimal::percent(200))));
        for bad in ["-0.1", "", "1.2.3", "abc", "1e3"] {
            assert!(bad.parse::<Rate>().is_err(), "{bad}");
        }
    }
}
