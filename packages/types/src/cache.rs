//! A read-through, write-through cache over a contract's storage for the
//! length of one message.
//!
//! wasmd charges every storage read (1,000 gas + 3 per byte) and write
//! (2,000 + 30 per byte), also when a message reads the same item twice —
//! a handler and then the conservation check, or a cw-storage-plus
//! snapshot re-reading the value it is about to replace. Behind this cache
//! each key is read from the chain at most once per message, and a write
//! of the bytes a key already holds is skipped. Every other write goes
//! through at once, so ranges over the inner storage see them.

use std::cell::RefCell;
use std::collections::BTreeMap;

use cosmwasm_std::{Order, Record, Storage};

pub struct CachedStorage<'a> {
    inner: &'a mut dyn Storage,
    cache: RefCell<BTreeMap<Vec<u8>, Option<Vec<u8>>>>,
}

impl<'a> CachedStorage<'a> {
    pub fn new(inner: &'a mut dyn Storage) -> Self {
        CachedStorage {
            inner,
            cache: RefCell::new(BTreeMap::new()),
        }
    }
}

impl Storage for CachedStorage<'_> {
    fn get(&self, key: &[u8]) -> Option<Vec<u8>> {
        if let Some(v) = self.cache.borrow().get(key) {
            return v.clone();
        }
        let v = self.inner.get(key);
        self.cache.borrow_mut().insert(key.to_vec(), v.clone());
        v
    }

    fn range<'b>(
        &'b self,
        start: Option<&[u8]>,
        end: Option<&[u8]>,
        order: Order,
    ) -> Box<dyn Iterator<Item = Record> + 'b> {
        self.inner.range(start, end, order)
    }

    fn set(&mut self, key: &[u8], value: &[u8]) {
        let cache = self.cache.get_mut();
        if let Some(Some(held)) = cache.get(key) {
            if held.as_slice() == value {
                return;
            }
        }
        self.inner.set(key, value);
        cache.insert(key.to_vec(), Some(value.to_vec()));
    }

    fn remove(&mut self, key: &[u8]) {
        self.inner.remove(key);
        self.cache.get_mut().insert(key.to_vec(), None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cosmwasm_std::testing::MockStorage;

    #[test]
    fn reads_through_writes_through_and_ranges_see_writes() {
        let mut inner = MockStorage::new();
        inner.set(b"a", b"1");
        {
            let mut c = CachedStorage::new(&mut inner);
            assert_eq!(c.get(b"a"), Some(b"1".to_vec()));
            assert_eq!(c.get(b"b"), None);
            c.set(b"b", b"2");
            assert_eq!(c.get(b"b"), Some(b"2".to_vec()));
            c.remove(b"a");
            assert_eq!(c.get(b"a"), None);
            let keys: Vec<Vec<u8>> = c
                .range(None, None, Order::Ascending)
                .map(|(k, _)| k)
                .collect();
            assert_eq!(keys, vec![b"b".to_vec()]);
        }
        assert_eq!(inner.get(b"a"), None);
        assert_eq!(inner.get(b"b"), Some(b"2".to_vec()));
    }
}
