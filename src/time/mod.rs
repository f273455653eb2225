//! Time: the clock, opening hours, and how times are spoken.

pub mod clock;
pub mod dates;
pub mod event;
pub mod holidays;
pub mod hours;
pub mod ical;
pub mod speak;
