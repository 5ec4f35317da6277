//! Container formats shared by several readers.

pub(crate) mod cfb;
