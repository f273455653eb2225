//! Events in a range: the corpus's own events (their runs) and the
//! calendars' and the feed's occurrences, expanded once per window.

#[allow(clippy::wildcard_imports)]
use super::*;

/// Every calendar occurrence (corpus calendars and one copy of the feed)
/// of a window from the day before a request to [`Occurrences::DAYS`]
/// after it, expanded once and shared by the requests that fall in it:
/// expanding every RRULE on every request made events the slowest intent.
#[derive(Debug)]
pub(super) struct Occurrences {
    /// The feed's copy they were expanded from.
    pub(super) feed: Arc<Vec<ical::Series>>,
    pub(super) from: DateTime<Utc>,
    pub(super) to: DateTime<Utc>,
    /// Sorted by start.
    pub(super) events: Vec<Event>,
}

impl Occurrences {
    /// Days ahead of the first day asked: a year of "what's next" beyond
    /// the longest period a citizen asks about (a month).
    const DAYS: i64 = 400;

    pub(super) fn window(from: DateTime<Utc>) -> (DateTime<Utc>, DateTime<Utc>) {
        let start = from - chrono::Duration::days(1);
        (start, start + chrono::Duration::days(Self::DAYS + 1))
    }

    /// True when `from..to` lies in this window. Days later, a look-ahead
    /// runs past its end and a new window starts: the cache stays bounded.
    pub(super) fn covers(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> bool {
        self.from <= from && to <= self.to
    }

    /// The occurrences that overlap `from..to`.
    pub(super) fn between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<Event> {
        let end = self
            .events
            .partition_point(|e| e.start.with_timezone(&Utc) < to);
        (self.events.iter().take(end))
            .filter(|e| e.end.with_timezone(&Utc) > from)
            .cloned()
            .collect()
    }
}

impl Knowledge {
    /// Every event series (a VEVENT, possibly recurring), in file order.
    pub fn event_series(&self) -> &[ical::Series] {
        self.events.get_or_init(|| {
            (self.calendars.iter())
                .flat_map(|(file, text)| ical::parse(file, text, self.city.timezone).series)
                .collect()
        })
    }

    /// The corpus's own events (`events.toml`), their hours and names.
    pub fn event_book(&self) -> &EventBook {
        self.event_book.get_or_init(|| {
            let Some((bytes, part)) = &self.stored_events else {
                return EventBook::default();
            };
            match compiled::decode::<Vec<EventEntry>>(bytes, part.clone()) {
                Ok(entries) => EventBook::new(entries, &self.city.holidays),
                Err(e) => {
                    tracing::error!(error = %e, "compiled events do not decode");
                    EventBook::default()
                }
            }
        })
    }

    /// Adds a remote events feed: its events join the corpus calendars'.
    pub fn with_feed(mut self, feed: Arc<Feed>) -> Self {
        self.feed = Some(feed);
        self
    }

    /// The corpus calendars' event series and the feed's latest copy.
    pub(super) fn all_series(&self) -> (&[ical::Series], Arc<Vec<ical::Series>>) {
        let remote = self.feed.as_ref().map(|f| f.events()).unwrap_or_default();
        (self.event_series(), remote)
    }

    /// The event categories of the corpus (`CATEGORIES` of its events,
    /// calendars and feed), each once, sorted.
    pub fn event_categories(&self) -> Vec<String> {
        let (local, remote) = self.all_series();
        let mut out: Vec<String> = local
            .iter()
            .chain(remote.iter())
            .flat_map(|s| s.first.categories.iter().cloned())
            .chain((self.event_book().entries().iter()).flat_map(|e| e.categories.iter().cloned()))
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// The corpus category a spoken or resolved category names: the same
    /// after folding ("maerkte" = "Märkte"), or the same German stem
    /// ("Markt" = "Märkte").
    pub fn event_category(&self, said: &str) -> Option<String> {
        let stem = |w: &str| {
            rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::German)
                .stem(w.trim().to_lowercase().as_str())
                .into_owned()
        };
        let want = stem(said);
        self.event_categories()
            .into_iter()
            .find(|c| fold(c) == fold(said) || stem(c) == want)
    }

    /// Occurrences of the calendars' and the feed's events overlapping
    /// `[from, to)`.
    /// The calendars' occurrences overlapping `from..to`, from the cached
    /// window when it holds them. `anchor`: a request starting now may
    /// start a new window there; a look at one run far ahead may not (it
    /// would move the window away from the days citizens ask about).
    pub(super) fn calendar_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        anchor: bool,
    ) -> Vec<Event> {
        let (local, remote) = self.all_series();
        let expand = |from, to| -> Vec<Event> {
            (local.iter().chain(remote.iter()))
                .flat_map(|s| s.occurrences(from, to))
                .collect()
        };
        let cached = match self.occurrences.lock() {
            Ok(c) => c.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        };
        // The same feed copy (none is a new empty one each time).
        let same_feed = |c: &Occurrences| {
            Arc::ptr_eq(&c.feed, &remote) || (c.feed.is_empty() && remote.is_empty())
        };
        if let Some(c) = cached.filter(|c| same_feed(c) && c.covers(from, to)) {
            return c.between(from, to);
        }
        let window = Occurrences::window(from);
        if !anchor || to > window.1 {
            return expand(from, to);
        }
        let mut events = expand(window.0, window.1);
        events.sort_by_key(|e| e.start);
        let fresh = Arc::new(Occurrences {
            feed: remote.clone(),
            from: window.0,
            to: window.1,
            events,
        });
        let found = fresh.between(from, to);
        match self.occurrences.lock() {
            Ok(mut c) => *c = Some(fresh),
            Err(poisoned) => *poisoned.into_inner() = Some(fresh),
        }
        found
    }

    /// The runs of a corpus event, in date order: each shipped run, or the
    /// calendar events that carry its name on those dates instead (a
    /// feed's word wins over the shipped dates).
    pub fn runs(&self, e: &EventEntry) -> Vec<Event> {
        let tz = self.city.timezone;
        let mut out = Vec::new();
        for run in events::runs(e, tz) {
            let span = (run.start.with_timezone(&Utc), run.end.with_timezone(&Utc));
            let instead: Vec<Event> = (self.calendar_between(span.0, span.1, false).into_iter())
                .filter(|c| events::replaces(c, e, &run))
                .map(|c| Event {
                    entry: Some(e.id.clone()),
                    ..c
                })
                .collect();
            match instead.is_empty() {
                true => out.push(run),
                false => out.extend(instead),
            }
        }
        out.sort_by_key(|r| r.start);
        out.dedup_by(|a, b| a.uid == b.uid && a.start == b.start);
        out
    }

    /// Event occurrences overlapping `[from, to)`, by start time: the
    /// calendars' and the feed's, and the runs of the corpus's own events
    /// that no calendar event replaces.
    pub fn events_between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<Event> {
        let mut out = self.calendar_between(from, to, true);
        let tz = self.city.timezone;
        for e in self.event_book().entries() {
            for run in events::runs(e, tz) {
                let (start, end) = (run.start.with_timezone(&Utc), run.end.with_timezone(&Utc));
                if start >= to || end <= from {
                    continue;
                }
                let replaced = (self.calendar_between(start, end, false).iter())
                    .any(|c| events::replaces(c, e, &run));
                if !replaced {
                    out.push(run);
                }
            }
        }
        out.sort_by(|a, b| a.start.cmp(&b.start).then_with(|| a.title.cmp(&b.title)));
        out
    }
}
