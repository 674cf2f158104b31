pub mod contract {}
