//! Small-count protection for the yearly report that the Jobcenter and the Jugendamt share
//! (docs/report.md): primary suppression of small counts, secondary suppression so that no
//! hidden count can be recovered from the printed totals, the rules for shares and medians,
//! and the cell helpers of the CSV export (`csv`).
//!
//! Model. Every count of the report is one cell ([`CellId`]). A figure printed in several
//! tables is one cell, so it is shown or hidden the same way everywhere. A [`Constraint`]
//! says that a total is the sum of its parts; a breakdown is one constraint, a table with row
//! and column totals is one constraint per row and per column (and the grand total twice).
//!
//! What a reader is assumed to know (on purpose more than the labels say): every printed
//! value and every constraint; that "< t" lies in 1..t-1; that an "x" is never zero and, when
//! the count behind it is at least t, that it is at least t (secondary suppression only
//! withholds counts of at least t; a small count becomes "x" only when "< t" would give it
//! away, and then only "at least 1" is assumed known). A hidden cell is *disclosed* when
//! this knowledge leaves exactly one value for it; [`suppress`] hides cells until no hidden
//! cell is disclosed ([`disclosed_cells`] is the exact check). Not modelled: a reader who
//! reruns the choices of the algorithm ("the smallest part was withheld, so ...").
//!
//! The algorithm, in the order the rules are applied (docs/report.md):
//! 1. Primary: a count in 1..t-1 is `Small`; zero is shown.
//! 2. A line (the parts and the total of one constraint) with exactly one hidden cell gets a
//!    second one: the smallest positive visible part (parts that are no total of another
//!    line first), else the total; a candidate that would leave the line pinned (rule 3) is
//!    passed over when another one does not.
//! 3. A line whose sum alone pins its hidden cells gets one more hidden cell the same way:
//!    "< 3" + "< 3" = 4 (both 2), "< 3" + "< 3" + 5 = 7 (both 1), but also "< 3" + "x" = 4
//!    (1 and 3, as "x" is at least 3). If no positive cell of the line is left to withhold,
//!    a small cell of the line (its total first) is printed "x" instead of "< t":
//!    "< 3" + "< 3" = "< 3" can only be 1 + 1 = 2.
//! 4. Globally, the exact check: linear programming over all lines and bounds together,
//!    then Gaussian elimination, both in exact integer arithmetic ([`disclosed_cells`]). It
//!    also catches what no single line shows, e.g. two rows and a column of a table that
//!    together force a small cell to 2. For the first disclosed cell one step is taken,
//!    the first of these candidates that ends its disclosure (else simply the first):
//!    withholding a positive cell of its lines, then of any line with a hidden cell;
//!    printing a "< t" of its lines as "x", then any "< t". Then the loop starts again at 2.
//!
//! Every step withholds one more cell or turns a "< t" into an "x", so the loop ends. It
//! ends without a disclosure: once every positive count of the lines with a hidden cell is
//! printed "x", scaling all hidden counts up by the same factor keeps every line, so no
//! hidden count has a single possible value.

use std::cmp::Reverse;

/// The threshold used when the configuration names none.
pub const DEFAULT_THRESHOLD: u64 = 3;

/// The smallest threshold accepted; a smaller configured value is raised to this.
pub const MIN_THRESHOLD: u64 = 3;

/// The threshold actually applied: the configured one, at least [`MIN_THRESHOLD`].
pub fn effective_threshold(threshold: u64) -> u64 {
    threshold.max(MIN_THRESHOLD)
}

/// Index of one count of the report.
pub type CellId = usize;

/// `sum(parts) == total`: one line of a table (a breakdown, a row or a column).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Constraint {
    pub total: CellId,
    pub parts: Vec<CellId>,
}

impl Constraint {
    pub fn new(total: CellId, parts: Vec<CellId>) -> Self {
        Constraint { total, parts }
    }
}

/// How one count is printed.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Shown {
    /// Printed as the number.
    Value(u64),
    /// Primary suppression: the count lies in 1..t-1 and is printed "< t".
    Small,
    /// Secondary suppression: printed "x".
    Withheld,
}

impl Shown {
    pub fn is_hidden(self) -> bool {
        !matches!(self, Shown::Value(_))
    }

    /// The printed number, if any.
    pub fn value(self) -> Option<u64> {
        match self {
            Shown::Value(v) => Some(v),
            Shown::Small | Shown::Withheld => None,
        }
    }
}

/// The printed text of a cell: the number, "< 3" (with the threshold applied) or "x".
pub fn label(shown: Shown, threshold: u64) -> String {
    match shown {
        Shown::Value(v) => v.to_string(),
        Shown::Small => format!("< {}", effective_threshold(threshold)),
        Shown::Withheld => "x".to_owned(),
    }
}

/// The counts of one report and the constraints between them.
#[derive(Clone, Debug, Default)]
pub struct Counts {
    values: Vec<u64>,
    constraints: Vec<Constraint>,
}

impl Counts {
    pub fn new() -> Self {
        Counts::default()
    }

    /// Adds a count and returns its cell.
    pub fn cell(&mut self, value: u64) -> CellId {
        self.values.push(value);
        self.values.len() - 1
    }

    /// Adds a total cell that is the sum of `parts`, with its constraint.
    pub fn sum_of(&mut self, parts: &[CellId]) -> CellId {
        let total = parts.iter().map(|&p| self.values[p]).sum();
        let id = self.cell(total);
        self.constraints.push(Constraint::new(id, parts.to_vec()));
        id
    }

    /// Adds the constraint `sum(parts) == total` for cells that exist already (a second
    /// breakdown of a total). Whether the counts agree is [`Counts::is_consistent`].
    pub fn constrain(&mut self, total: CellId, parts: &[CellId]) {
        self.constraints
            .push(Constraint::new(total, parts.to_vec()));
    }

    pub fn value(&self, cell: CellId) -> u64 {
        self.values[cell]
    }

    pub fn values(&self) -> &[u64] {
        &self.values
    }

    pub fn constraints(&self) -> &[Constraint] {
        &self.constraints
    }

    /// Whether every constraint holds for the counts.
    pub fn is_consistent(&self) -> bool {
        inconsistent_constraints(&self.values, &self.constraints).is_empty()
    }

    /// [`suppress`] for these counts.
    pub fn suppress(&self, threshold: u64) -> Vec<Shown> {
        suppress(&self.values, &self.constraints, threshold)
    }
}

/// Indices of the constraints whose parts do not add up to their total.
pub fn inconsistent_constraints(values: &[u64], constraints: &[Constraint]) -> Vec<usize> {
    constraints
        .iter()
        .enumerate()
        .filter(|(_, c)| {
            let sum: u128 = c.parts.iter().map(|&p| u128::from(values[p])).sum();
            sum != u128::from(values[c.total])
        })
        .map(|(i, _)| i)
        .collect()
}

/// Decides how every count is printed: primary suppression of counts in 1..t-1, then
/// secondary suppression until no hidden cell is disclosed (module documentation).
/// `threshold` is raised to [`MIN_THRESHOLD`].
///
/// # Panics
/// If a constraint names a cell outside `values`.
pub fn suppress(values: &[u64], constraints: &[Constraint], threshold: u64) -> Vec<Shown> {
    let t = effective_threshold(threshold);
    let lines = lines_of(constraints);
    let mut is_total = vec![false; values.len()];
    for c in constraints {
        is_total[c.total] = true;
    }
    let shown = values
        .iter()
        .map(|&v| {
            if v > 0 && v < t {
                Shown::Small
            } else {
                Shown::Value(v)
            }
        })
        .collect();
    let mut engine = Engine {
        values,
        lines,
        is_total,
        t,
        shown,
    };
    engine.run();
    engine.shown
}

/// Hidden cells that the printed values and the constraints determine exactly, taking the
/// hidden cells as unknown numbers (linear algebra only, no bounds): cell `i` is determined
/// when the unit vector `e_i` lies in the row space of the constraint matrix restricted to
/// the hidden cells. Ascending.
pub fn determined_cells(shown: &[Shown], constraints: &[Constraint]) -> Vec<CellId> {
    let hidden: Vec<bool> = shown.iter().map(|s| s.is_hidden()).collect();
    let lines = lines_of(constraints);
    let mask = determined_mask(&hidden, &lines);
    (0..shown.len()).filter(|&i| mask[i]).collect()
}

/// Hidden cells that a reader can recover: the constraints together with what the labels
/// say ("< t" lies in 1..t-1, "x" is at least t, or at least 1 for a small count printed
/// "x", see the module documentation) leave exactly one value for them. Contains
/// [`determined_cells`]. Exact over the real numbers (linear programming, in exact integer
/// arithmetic); for the tables of the report (breakdowns, rows and columns) the integer
/// answer is the same. Empty for the output of [`suppress`]. Ascending.
///
/// # Panics
/// If `shown` is shorter than `values` or a constraint names a cell outside them.
pub fn disclosed_cells(
    values: &[u64],
    shown: &[Shown],
    constraints: &[Constraint],
    threshold: u64,
) -> Vec<CellId> {
    let t = effective_threshold(threshold);
    let lines = lines_of(constraints);
    let mask = disclosed_mask(values, shown, &lines, t);
    (0..values.len()).filter(|&i| mask[i]).collect()
}

/// Whether a share `numerator / denominator` may be printed: both counts and the rest
/// `denominator - numerator` are 0 or at least t, and the denominator is positive. A share
/// of 1 in 40 would give away the small count as surely as printing it.
pub fn ratio_allowed(numerator: u64, denominator: u64, threshold: u64) -> bool {
    let t = effective_threshold(threshold);
    let safe = |n: u64| n == 0 || n >= t;
    denominator > 0 && numerator <= denominator && safe(numerator) && safe(denominator - numerator)
}

/// [`ratio_allowed`] for printed cells: a share of a hidden count (or of a hidden total)
/// would give the hidden count away, so both must be printed values.
pub fn share_allowed(numerator: Shown, denominator: Shown, threshold: u64) -> bool {
    match (numerator, denominator) {
        (Shown::Value(n), Shown::Value(d)) => ratio_allowed(n, d, threshold),
        _ => false,
    }
}

/// Whether a median (or mean, or any statistic of individual values) over `n` items may be
/// printed: only when `n >= t`; the median of one or two values is an individual's value.
pub fn median_allowed(n: u64, threshold: u64) -> bool {
    n >= effective_threshold(threshold)
}

/// The median of `values` (mean of the two middle values for an even count); `None` for
/// none. Whether it may be printed is [`median_allowed`].
pub fn median(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    if sorted.len() % 2 == 1 {
        Some(sorted[mid])
    } else {
        Some(f64::midpoint(sorted[mid - 1], sorted[mid]))
    }
}

/// Cells for the CSV export read by German spreadsheets: `;` separates, `,` is the decimal
/// mark, lines end with CR LF, the file starts with a byte order mark. Text goes through
/// [`csv::csv_cell`] (formula neutralisation, quoting); numbers written by Tandem itself go
/// through [`csv::csv_number`] or [`csv::decimal_comma`] and are never prefixed.
pub mod csv {
    use super::Shown;

    /// Byte order mark, so that spreadsheets read the file as UTF-8.
    pub const CSV_BOM: &str = "\u{feff}";

    /// A text cell: text a spreadsheet would take for a formula (starting with `=`, `+`,
    /// `-`, `@`, tab or CR) gets a leading apostrophe; a cell containing `;`, `"`, CR or LF
    /// is quoted, with quotes doubled.
    pub fn csv_cell(text: &str) -> String {
        let mut cell = String::with_capacity(text.len() + 1);
        if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
            cell.push('\'');
        }
        cell.push_str(text);
        if cell.contains([';', '"', '\r', '\n']) {
            format!("\"{}\"", cell.replace('"', "\"\""))
        } else {
            cell
        }
    }

    /// An integer cell written by Tandem; never prefixed, also when negative.
    pub fn csv_number(n: impl Into<i128>) -> String {
        n.into().to_string()
    }

    /// A count as printed by the report: the number, "< 3" or "x".
    pub fn csv_shown(shown: Shown, threshold: u64) -> String {
        super::label(shown, threshold)
    }

    /// One line: the cells (already made with the functions above) joined by `;`, ending
    /// with CR LF.
    pub fn csv_line(cells: &[String]) -> String {
        let mut line = cells.join(";");
        line.push_str("\r\n");
        line
    }

    /// `x` with `digits` decimals and a decimal comma ("12,5"), without thousands
    /// separators; no "-0,0"; empty for NaN and infinities. A number cell, never prefixed.
    pub fn decimal_comma(x: f64, digits: usize) -> String {
        if !x.is_finite() {
            return String::new();
        }
        let text = format!("{x:.digits$}");
        let text = match text.strip_prefix('-') {
            Some(rest) if rest.bytes().all(|b| b == b'0' || b == b'.') => rest,
            _ => &text,
        };
        text.replace('.', ",")
    }
}

// ---------------------------------------------------------------------------------------
// Internals.

/// One constraint as `sum(coefficient * cell) == 0`: parts +1, total -1 (a cell named twice
/// gets the sum of its coefficients; zero coefficients are dropped).
type Line = Vec<(CellId, i128)>;

fn lines_of(constraints: &[Constraint]) -> Vec<Line> {
    constraints
        .iter()
        .map(|c| {
            let mut terms: Vec<(CellId, i128)> = c.parts.iter().map(|&p| (p, 1)).collect();
            terms.push((c.total, -1));
            terms.sort_unstable_by_key(|&(cell, _)| cell);
            let mut line: Line = Vec::with_capacity(terms.len());
            for (cell, a) in terms {
                match line.last_mut() {
                    Some(last) if last.0 == cell => last.1 += a,
                    _ => line.push((cell, a)),
                }
            }
            line.retain(|&(_, a)| a != 0);
            line
        })
        .collect()
}

/// What a reader knows about a cell: `lo <= x <= hi` (`hi` `None`: no upper bound).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct Bound {
    lo: i128,
    hi: Option<i128>,
}

impl Bound {
    fn is_point(self) -> bool {
        self.hi == Some(self.lo)
    }
}

fn reader_bound(value: u64, shown: Shown, t: u64) -> Bound {
    match shown {
        Shown::Value(v) => Bound {
            lo: i128::from(v),
            hi: Some(i128::from(v)),
        },
        Shown::Small => Bound {
            lo: 1,
            hi: Some(i128::from(t) - 1),
        },
        Shown::Withheld => Bound {
            lo: i128::from(if value >= t { t } else { value.min(1) }),
            hi: None,
        },
    }
}

fn floor_div(n: i128, d: i128) -> i128 {
    let q = n / d;
    if n % d != 0 && ((n < 0) != (d < 0)) {
        q - 1
    } else {
        q
    }
}

fn ceil_div(n: i128, d: i128) -> i128 {
    -floor_div(-n, d)
}

/// Tightens the bounds of the cells of one line from the bounds of the others: afterwards
/// each cell's bounds are exactly the values it can take in a solution of this line alone.
fn tighten_line(line: &Line, bounds: &mut [Bound]) {
    // Range of `a * x` for each term; `None` is minus (for the minimum) or plus (for the
    // maximum) infinity.
    let ranges: Vec<(Option<i128>, Option<i128>)> = line
        .iter()
        .map(|&(cell, a)| {
            let b = bounds[cell];
            if a > 0 {
                (Some(a * b.lo), b.hi.map(|h| a * h))
            } else {
                (b.hi.map(|h| a * h), Some(a * b.lo))
            }
        })
        .collect();
    let (mut min_sum, mut min_inf, mut max_sum, mut max_inf) = (0i128, 0usize, 0i128, 0usize);
    for &(mn, mx) in &ranges {
        match mn {
            Some(v) => min_sum += v,
            None => min_inf += 1,
        }
        match mx {
            Some(v) => max_sum += v,
            None => max_inf += 1,
        }
    }
    for (&(cell, a), &(mn, mx)) in line.iter().zip(&ranges) {
        // Sum of the other terms lies in [others_min, others_max].
        let others_min = match mn {
            Some(v) if min_inf == 0 => Some(min_sum - v),
            None if min_inf == 1 => Some(min_sum),
            _ => None,
        };
        let others_max = match mx {
            Some(v) if max_inf == 0 => Some(max_sum - v),
            None if max_inf == 1 => Some(max_sum),
            _ => None,
        };
        // a * x = -(others), so a * x lies in [-others_max, -others_min].
        let (low, high) = (others_max.map(|m| -m), others_min.map(|m| -m));
        let (new_lo, new_hi) = if a > 0 {
            (low.map(|l| ceil_div(l, a)), high.map(|h| floor_div(h, a)))
        } else {
            (high.map(|h| ceil_div(h, a)), low.map(|l| floor_div(l, a)))
        };
        let b = &mut bounds[cell];
        if let Some(lo) = new_lo {
            b.lo = b.lo.max(lo);
        }
        if let Some(hi) = new_hi {
            b.hi = Some(b.hi.map_or(hi, |old| old.min(hi)));
        }
    }
}

fn gcd(mut a: i128, mut b: i128) -> i128 {
    a = a.abs();
    b = b.abs();
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// Reduced row echelon form (up to row scaling) with integer rows, each divided by the gcd
/// of its entries. `None` on overflow.
fn rref_exact(mut rows: Vec<Vec<i128>>, ncols: usize) -> Option<Vec<Vec<i128>>> {
    let mut rank = 0;
    for col in 0..ncols {
        if rank == rows.len() {
            break;
        }
        let Some(p) = (rank..rows.len()).find(|&r| rows[r][col] != 0) else {
            continue;
        };
        rows.swap(rank, p);
        let pivot = rows[rank].clone();
        for (r, row) in rows.iter_mut().enumerate() {
            if r != rank && row[col] != 0 {
                eliminate(row, &pivot, col)?;
            }
        }
        rank += 1;
    }
    rows.truncate(rank);
    Some(rows)
}

/// The Mersenne prime 2^61 - 1.
const PRIME: u64 = (1 << 61) - 1;

fn mul_mod(a: u64, b: u64) -> u64 {
    u64::try_from(u128::from(a) * u128::from(b) % u128::from(PRIME)).unwrap_or(0)
}

fn pow_mod(mut base: u64, mut exp: u64) -> u64 {
    let mut acc = 1;
    while exp > 0 {
        if exp & 1 == 1 {
            acc = mul_mod(acc, base);
        }
        base = mul_mod(base, base);
        exp >>= 1;
    }
    acc
}

fn to_mod(x: i128) -> u64 {
    u64::try_from(x.rem_euclid(i128::from(PRIME))).unwrap_or(0)
}

/// Reduced row echelon form modulo [`PRIME`]: the fallback when the exact elimination
/// overflows (not seen for tables of this size; wrong only if the prime divides a minor).
fn rref_mod(rows: &[Vec<i128>], ncols: usize) -> Vec<Vec<u64>> {
    let mut rows: Vec<Vec<u64>> = rows
        .iter()
        .map(|r| r.iter().map(|&x| to_mod(x)).collect())
        .collect();
    let mut rank = 0;
    for col in 0..ncols {
        if rank == rows.len() {
            break;
        }
        let Some(p) = (rank..rows.len()).find(|&r| rows[r][col] != 0) else {
            continue;
        };
        rows.swap(rank, p);
        let inv = pow_mod(rows[rank][col], PRIME - 2);
        for x in &mut rows[rank] {
            *x = mul_mod(*x, inv);
        }
        let pivot = rows[rank].clone();
        for (r, row) in rows.iter_mut().enumerate() {
            if r == rank || row[col] == 0 {
                continue;
            }
            let f = row[col];
            for (x, &y) in row.iter_mut().zip(&pivot) {
                *x = (*x + PRIME - mul_mod(f, y)) % PRIME;
            }
        }
        rank += 1;
    }
    rows.truncate(rank);
    rows
}

/// The coefficient rows of the lines over the hidden cells (`cols`, as indices into the
/// rows); lines without a hidden cell are left out.
fn hidden_rows(lines: &[Line], hidden: &[bool]) -> (Vec<CellId>, Vec<Vec<i128>>) {
    let cols: Vec<CellId> = (0..hidden.len()).filter(|&i| hidden[i]).collect();
    let mut col_of = vec![usize::MAX; hidden.len()];
    for (k, &cell) in cols.iter().enumerate() {
        col_of[cell] = k;
    }
    let rows = lines
        .iter()
        .filter(|line| line.iter().any(|&(cell, _)| hidden[cell]))
        .map(|line| {
            let mut row = vec![0i128; cols.len()];
            for &(cell, a) in line {
                if hidden[cell] {
                    row[col_of[cell]] += a;
                }
            }
            row
        })
        .collect();
    (cols, rows)
}

/// The columns `k` whose unit vector `e_k` lies in the row space of `rows`. In reduced row
/// echelon form that is exactly when some row is a multiple of `e_k`.
fn units_in_row_space(rows: &[Vec<i128>], ncols: usize) -> Vec<bool> {
    let mut units = vec![false; ncols];
    let mut mark = |nonzero: &mut dyn Iterator<Item = usize>| {
        if let (Some(k), None) = (nonzero.next(), nonzero.next()) {
            units[k] = true;
        }
    };
    if let Some(reduced) = rref_exact(rows.to_vec(), ncols) {
        for row in &reduced {
            mark(&mut (0..ncols).filter(|&k| row[k] != 0));
        }
    } else {
        for row in &rref_mod(rows, ncols) {
            mark(&mut (0..ncols).filter(|&k| row[k] != 0));
        }
    }
    units
}

/// For every cell: whether it is hidden and determined by the lines (see
/// [`determined_cells`]).
fn determined_mask(hidden: &[bool], lines: &[Line]) -> Vec<bool> {
    let (cols, rows) = hidden_rows(lines, hidden);
    let units = units_in_row_space(&rows, cols.len());
    let mut mask = vec![false; hidden.len()];
    for (k, &cell) in cols.iter().enumerate() {
        mask[cell] = units[k];
    }
    mask
}

/// For every cell: whether it is hidden and disclosed (see [`disclosed_cells`]).
///
/// The true counts `x` are one solution of what the reader knows: the lines, and for each
/// hidden cell a lower and perhaps an upper bound. A hidden cell can take another value iff
/// some direction `d` keeps the lines (`H d = 0` over the hidden cells) and, for a cell at
/// one of its bounds, does not leave it (`d >= 0` at the lower, `d <= 0` at the upper
/// bound), with `d` nonzero at the cell: the feasible set is convex, so a second solution
/// gives such a direction and a small step along one gives a second solution.
///
/// Those directions form a cone. Linear programs find the cells at a bound that are zero in
/// every direction of the cone (each program asks for a direction that is positive on the
/// remaining ones; its positive cells are free, and when there is none the remaining ones
/// are all stuck). The cone contains a direction positive on all free cells at a bound, so
/// every direction with the stuck cells at zero is, scaled down, in the cone: a cell is
/// disclosed iff its unit vector lies in the row space of `H` plus the unit rows of the
/// stuck cells.
fn disclosed_mask(values: &[u64], shown: &[Shown], lines: &[Line], t: u64) -> Vec<bool> {
    let hidden: Vec<bool> = shown.iter().map(|s| s.is_hidden()).collect();
    let (cols, mut rows) = hidden_rows(lines, &hidden);
    // Orientation of each hidden cell: +1 may only grow, -1 may only shrink, 0 either.
    let sign: Vec<i128> = cols
        .iter()
        .map(|&cell| {
            let b = reader_bound(values[cell], shown[cell], t);
            let v = i128::from(values[cell]);
            if v <= b.lo {
                1
            } else if b.hi.is_some_and(|hi| v >= hi) {
                -1
            } else {
                0
            }
        })
        .collect();
    let mut open: Vec<usize> = (0..cols.len()).filter(|&k| sign[k] != 0).collect();
    let mut stuck: Vec<usize> = Vec::new();
    while !open.is_empty() {
        match free_direction(&rows, &sign, &open) {
            Lp::Solution(positive) => open.retain(|k| !positive[*k]),
            // On overflow (not seen for tables of this size) all remaining cells count as
            // stuck: more is hidden, nothing is disclosed.
            Lp::Infeasible | Lp::Overflow => {
                stuck.append(&mut open);
            }
        }
    }
    for &k in &stuck {
        rows.push((0..cols.len()).map(|j| i128::from(j == k)).collect());
    }
    let units = units_in_row_space(&rows, cols.len());
    let mut mask = vec![false; values.len()];
    for (k, &cell) in cols.iter().enumerate() {
        mask[cell] = units[k];
    }
    mask
}

enum Lp {
    /// A solution; `true` for the variables that are positive in it.
    Solution(Vec<bool>),
    Infeasible,
    Overflow,
}

/// Looks for a direction `d` with `rows · d = 0`, `sign[k] * d[k] >= 0` and
/// `sum(sign[k] * d[k] for k in open) = 1`. On success, `true` for the columns in `open`
/// that are nonzero in it (at least one).
fn free_direction(rows: &[Vec<i128>], sign: &[i128], open: &[usize]) -> Lp {
    // Variables y >= 0: one per column with a sign (d = sign * y), two for a free column
    // (d = y1 - y2).
    let mut vars: Vec<(usize, i128)> = Vec::new();
    for (k, &s) in sign.iter().enumerate() {
        if s == 0 {
            vars.push((k, 1));
            vars.push((k, -1));
        } else {
            vars.push((k, s));
        }
    }
    let mut a: Vec<Vec<i128>> = rows
        .iter()
        .map(|row| vars.iter().map(|&(k, s)| s * row[k]).collect())
        .collect();
    let mut b = vec![0i128; a.len()];
    a.push(
        vars.iter()
            .map(|&(k, s)| i128::from(sign[k] != 0 && s == sign[k] && open.contains(&k)))
            .collect(),
    );
    b.push(1);
    match phase_one(a, &b) {
        Lp::Solution(positive) => {
            let mut cols = vec![false; sign.len()];
            for (v, &(k, _)) in vars.iter().enumerate() {
                cols[k] |= positive[v];
            }
            Lp::Solution(cols)
        }
        other => other,
    }
}

/// Upper limit on simplex pivots; Bland's rule never cycles, so this is only a guard.
const MAX_PIVOTS: usize = 100_000;

/// Phase one of the simplex method (Bland's rule) on integer rows: looks for `y >= 0` with
/// `a y = b`, where `b >= 0`. Each tableau row is kept as integers divided by their gcd
/// (scaling a row by a positive factor changes nothing).
fn phase_one(matrix: Vec<Vec<i128>>, goal: &[i128]) -> Lp {
    let height = matrix.len();
    let n_vars = matrix.first().map_or(0, Vec::len);
    let width = n_vars + height + 1;
    let rhs = n_vars + height;
    // Rows: structural columns, one artificial per row, right-hand side.
    let mut rows: Vec<Vec<i128>> = matrix
        .into_iter()
        .zip(goal)
        .enumerate()
        .map(|(index, (mut row, &value))| {
            row.resize(width, 0);
            row[n_vars + index] = 1;
            row[rhs] = value;
            row
        })
        .collect();
    // Reduced costs of "minimise the sum of the artificials"; the last entry is -objective.
    let mut cost = vec![0i128; width];
    for row in &rows {
        for col in (0..n_vars).chain([rhs]) {
            cost[col] -= row[col];
        }
    }
    let mut basis: Vec<usize> = (n_vars..n_vars + height).collect();
    for _ in 0..MAX_PIVOTS {
        let Some(enter) = (0..rhs).find(|&col| cost[col] < 0) else {
            if cost[rhs] != 0 {
                return Lp::Infeasible;
            }
            let mut positive = vec![false; n_vars];
            for (row, &var) in rows.iter().zip(&basis) {
                if var < n_vars && row[rhs] > 0 {
                    positive[var] = true;
                }
            }
            return Lp::Solution(positive);
        };
        // Ratio test: smallest rhs / entry over positive entries, ties by basis index.
        let mut leave: Option<usize> = None;
        for index in 0..height {
            if rows[index][enter] <= 0 {
                continue;
            }
            let better = match leave {
                None => true,
                Some(best) => {
                    let (Some(mine), Some(theirs)) = (
                        rows[index][rhs].checked_mul(rows[best][enter]),
                        rows[best][rhs].checked_mul(rows[index][enter]),
                    ) else {
                        return Lp::Overflow;
                    };
                    mine < theirs || (mine == theirs && basis[index] < basis[best])
                }
            };
            if better {
                leave = Some(index);
            }
        }
        // Phase one is bounded, so a column with negative cost has a positive entry.
        let Some(out) = leave else {
            return Lp::Overflow;
        };
        let content = rows[out].iter().fold(0, |g, &x| gcd(g, x));
        if content > 1 {
            for x in &mut rows[out] {
                *x /= content;
            }
        }
        let pivot = rows[out].clone();
        for (index, row) in rows.iter_mut().enumerate() {
            if index != out && row[enter] != 0 && eliminate(row, &pivot, enter).is_none() {
                return Lp::Overflow;
            }
        }
        if eliminate(&mut cost, &pivot, enter).is_none() {
            return Lp::Overflow;
        }
        basis[out] = enter;
    }
    Lp::Overflow
}

/// `row = pivot[q] * row - row[q] * pivot` (with the common factor taken out first), then
/// divided by the gcd of its entries; with `pivot[q] > 0` the sign of every entry of a row
/// with `row[q] == 0` afterwards is that of a positive multiple. `None` on overflow.
fn eliminate(row: &mut [i128], pivot: &[i128], q: usize) -> Option<()> {
    let g = gcd(pivot[q], row[q]);
    let (a, b) = (pivot[q] / g, row[q] / g);
    let mut content = 0;
    for (x, &y) in row.iter_mut().zip(pivot) {
        *x = a.checked_mul(*x)?.checked_sub(b.checked_mul(y)?)?;
        content = gcd(content, *x);
    }
    if content > 1 {
        for x in row.iter_mut() {
            *x /= content;
        }
    }
    Some(())
}

struct Engine<'a> {
    values: &'a [u64],
    lines: Vec<Line>,
    /// Whether a cell is the total of some line.
    is_total: Vec<bool>,
    t: u64,
    shown: Vec<Shown>,
}

/// A change to the printed state.
#[derive(Clone, Copy, Debug)]
enum Step {
    /// Withhold a visible positive cell.
    Hide(CellId),
    /// Print a small cell as "x" instead of "< t".
    Widen(CellId),
}

impl Engine<'_> {
    fn run(&mut self) {
        let mut given_up = vec![false; self.values.len()];
        loop {
            if self.rule_lines(true) || self.rule_lines(false) {
                continue;
            }
            match self.first_disclosed(&given_up) {
                Some(cell) => {
                    if !self.fix_cell(cell) {
                        // Only possible for inconsistent counts; keep going with the rest.
                        given_up[cell] = true;
                    }
                }
                None => break,
            }
        }
    }

    fn hidden_count(&self, line: &Line) -> usize {
        line.iter()
            .filter(|&&(cell, _)| self.shown[cell].is_hidden())
            .count()
    }

    /// Whether the line alone pins one of its hidden cells, for the given state.
    fn line_pinned(&self, line: &Line, shown: &[Shown]) -> bool {
        let mut bounds: Vec<Bound> = self
            .values
            .iter()
            .zip(shown)
            .map(|(&v, &s)| reader_bound(v, s, self.t))
            .collect();
        tighten_line(line, &mut bounds);
        line.iter()
            .any(|&(cell, _)| shown[cell].is_hidden() && bounds[cell].is_point())
    }

    /// Rule 2 (`single`: lines with exactly one hidden cell) or rule 3 (lines that pin a
    /// hidden cell). Applies one step to the first such line that has a step left in it;
    /// returns whether it did.
    fn rule_lines(&mut self, single: bool) -> bool {
        for index in 0..self.lines.len() {
            let line = &self.lines[index];
            let applies = if single {
                self.hidden_count(line) == 1
            } else {
                self.hidden_count(line) >= 1 && self.line_pinned(line, &self.shown)
            };
            if !applies {
                continue;
            }
            let mut steps: Vec<Step> = self.hide_candidates(line);
            if !single {
                steps.extend(self.widen_candidates(line));
            }
            let line = line.clone();
            let chosen = steps
                .iter()
                .copied()
                .find(|&step| !self.line_pinned(&line, &self.applied(step)))
                .or_else(|| steps.first().copied());
            if let Some(step) = chosen {
                self.shown = self.applied(step);
                return true;
            }
        }
        false
    }

    /// Visible positive cells of a line in the order they are withheld: the parts that are
    /// no total of another line, then the other parts (each by value, then by cell), then
    /// the total.
    fn hide_candidates(&self, line: &Line) -> Vec<Step> {
        let mut parts: Vec<(bool, u64, CellId)> = line
            .iter()
            .filter(|&&(cell, a)| a > 0 && self.visible_positive(cell))
            .map(|&(cell, _)| (self.is_total[cell], self.values[cell], cell))
            .collect();
        parts.sort_unstable();
        let mut steps: Vec<Step> = parts.into_iter().map(|(_, _, c)| Step::Hide(c)).collect();
        steps.extend(
            line.iter()
                .filter(|&&(cell, a)| a < 0 && self.visible_positive(cell))
                .map(|&(cell, _)| Step::Hide(cell)),
        );
        steps
    }

    /// Small cells of a line that could be printed "x" instead: the total first.
    fn widen_candidates(&self, line: &Line) -> Vec<Step> {
        let mut cells: Vec<(i128, CellId)> = line
            .iter()
            .filter(|&&(cell, _)| self.shown[cell] == Shown::Small)
            .map(|&(cell, a)| (a, cell))
            .collect();
        cells.sort_unstable();
        cells.into_iter().map(|(_, c)| Step::Widen(c)).collect()
    }

    fn visible_positive(&self, cell: CellId) -> bool {
        matches!(self.shown[cell], Shown::Value(v) if v > 0)
    }

    fn applied(&self, step: Step) -> Vec<Shown> {
        let mut shown = self.shown.clone();
        match step {
            Step::Hide(cell) | Step::Widen(cell) => shown[cell] = Shown::Withheld,
        }
        shown
    }

    fn disclosed(&self, shown: &[Shown]) -> Vec<bool> {
        disclosed_mask(self.values, shown, &self.lines, self.t)
    }

    fn first_disclosed(&self, given_up: &[bool]) -> Option<CellId> {
        let mask = self.disclosed(&self.shown);
        (0..mask.len()).find(|&i| mask[i] && !given_up[i])
    }

    /// Rule 4: one step against the disclosure of `cell`. Candidates, in this order:
    /// visible positive cells of the lines containing it; of any line with a hidden cell;
    /// small cells of its lines printed "x"; any small cell printed "x". The first candidate
    /// that ends the disclosure is taken, else the first candidate. Returns whether a step
    /// was taken.
    fn fix_cell(&mut self, cell: CellId) -> bool {
        let own: Vec<usize> = (0..self.lines.len())
            .filter(|&l| self.lines[l].iter().any(|&(c, _)| c == cell))
            .collect();
        let key = |c: CellId| (self.is_total[c], self.values[c], c);
        let mut near: Vec<CellId> = own
            .iter()
            .flat_map(|&l| self.lines[l].iter().map(|&(c, _)| c))
            .filter(|&c| self.visible_positive(c))
            .collect();
        near.sort_unstable_by_key(|&c| key(c));
        near.dedup();
        let mut far: Vec<CellId> = self
            .lines
            .iter()
            .filter(|line| self.hidden_count(line) > 0)
            .flat_map(|line| line.iter().map(|&(c, _)| c))
            .filter(|&c| self.visible_positive(c) && !near.contains(&c))
            .collect();
        far.sort_unstable_by_key(|&c| key(c));
        far.dedup();
        let widen_key = |c: CellId| (Reverse(self.is_total[c]), c);
        let mut near_small: Vec<CellId> = own
            .iter()
            .flat_map(|&l| self.lines[l].iter().map(|&(c, _)| c))
            .filter(|&c| self.shown[c] == Shown::Small)
            .collect();
        near_small.sort_unstable_by_key(|&c| widen_key(c));
        near_small.dedup();
        let mut far_small: Vec<CellId> = (0..self.shown.len())
            .filter(|&c| self.shown[c] == Shown::Small && !near_small.contains(&c))
            .collect();
        far_small.sort_unstable_by_key(|&c| widen_key(c));
        let steps: Vec<Step> = near
            .into_iter()
            .chain(far)
            .map(Step::Hide)
            .chain(near_small.into_iter().chain(far_small).map(Step::Widen))
            .collect();
        let chosen = steps
            .iter()
            .copied()
            .find(|&step| !self.disclosed(&self.applied(step))[cell])
            .or_else(|| steps.first().copied());
        match chosen {
            Some(step) => {
                self.shown = self.applied(step);
                true
            }
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::csv::{csv_cell, csv_line, csv_number, csv_shown, decimal_comma};
    use super::*;

    use Shown::{Small, Value, Withheld};

    /// One breakdown: the parts, then their total as the last cell.
    fn breakdown(parts: &[u64]) -> Counts {
        let mut counts = Counts::new();
        let cells: Vec<CellId> = parts.iter().map(|&v| counts.cell(v)).collect();
        counts.sum_of(&cells);
        counts
    }

    /// A table with row totals, column totals and the grand total (constrained by both).
    /// Returns the counts and the cell grid, row totals, column totals, grand total.
    fn table(rows: &[&[u64]]) -> (Counts, Vec<Vec<CellId>>, Vec<CellId>, Vec<CellId>, CellId) {
        let mut counts = Counts::new();
        let grid: Vec<Vec<CellId>> = rows
            .iter()
            .map(|row| row.iter().map(|&v| counts.cell(v)).collect())
            .collect();
        let row_totals: Vec<CellId> = grid.iter().map(|row| counts.sum_of(row)).collect();
        let columns = grid.first().map_or(0, Vec::len);
        let col_totals: Vec<CellId> = (0..columns)
            .map(|c| {
                let column: Vec<CellId> = grid.iter().map(|row| row[c]).collect();
                counts.sum_of(&column)
            })
            .collect();
        let grand = counts.sum_of(&row_totals);
        counts.constrain(grand, &col_totals);
        (counts, grid, row_totals, col_totals, grand)
    }

    fn assert_protected(counts: &Counts, shown: &[Shown], t: u64) {
        assert!(counts.is_consistent());
        for (i, (&v, &s)) in counts.values().iter().zip(shown).enumerate() {
            match s {
                Value(p) => assert!(p == v && (v == 0 || v >= t), "cell {i}: {v} shown"),
                Small => assert!(v > 0 && v < t, "cell {i}: {v} marked small"),
                Withheld => assert!(v > 0, "cell {i}: zero withheld"),
            }
        }
        let disclosed = disclosed_cells(counts.values(), shown, counts.constraints(), t);
        assert!(disclosed.is_empty(), "disclosed {disclosed:?} in {shown:?}");
    }

    #[test]
    fn primary_suppression_hides_small_counts_and_shows_zero() {
        let values = [0, 1, 2, 3, 4, 100];
        assert_eq!(
            suppress(&values, &[], 3),
            [Value(0), Small, Small, Value(3), Value(4), Value(100)]
        );
        assert_eq!(
            suppress(&values, &[], 4),
            [Value(0), Small, Small, Small, Value(4), Value(100)]
        );
        // A threshold below the minimum is raised to it.
        assert_eq!(suppress(&values, &[], 1), suppress(&values, &[], 3));
        assert_eq!(effective_threshold(0), 3);
        assert_eq!(effective_threshold(DEFAULT_THRESHOLD), 3);
        assert_eq!(effective_threshold(5), 5);
    }

    #[test]
    fn labels() {
        assert_eq!(label(Value(0), 3), "0");
        assert_eq!(label(Value(17), 3), "17");
        assert_eq!(label(Small, 3), "< 3");
        assert_eq!(label(Small, 5), "< 5");
        assert_eq!(label(Small, 2), "< 3");
        assert_eq!(label(Withheld, 3), "x");
        assert!(Small.is_hidden() && Withheld.is_hidden() && !Value(0).is_hidden());
        assert_eq!(Value(4).value(), Some(4));
        assert_eq!(Withheld.value(), None);
    }

    #[test]
    fn one_small_part_takes_the_smallest_other_part_with_it() {
        // 5, 1, 7 = 13: "< 3" alone would be 13 - 5 - 7.
        let counts = breakdown(&[5, 1, 7]);
        let shown = counts.suppress(3);
        assert_eq!(shown, [Withheld, Small, Value(7), Value(13)]);
        assert_protected(&counts, &shown, 3);
        // Without the second cell the small one is determined.
        let naive = [Value(5), Small, Value(7), Value(13)];
        assert_eq!(determined_cells(&naive, counts.constraints()), [1]);
    }

    #[test]
    fn second_cell_is_not_one_that_the_interval_pins() {
        // 1, 3, 10 = 14: withholding the 3 leaves "< 3" + "x" = 4, and as "x" >= 3 that is
        // 1 + 3. The 10 is withheld instead.
        let counts = breakdown(&[1, 3, 10]);
        let naive = [Small, Withheld, Value(10), Value(14)];
        assert_eq!(
            disclosed_cells(counts.values(), &naive, counts.constraints(), 3),
            [0, 1]
        );
        assert!(determined_cells(&naive, counts.constraints()).is_empty());
        let shown = counts.suppress(3);
        assert_eq!(shown, [Small, Value(3), Withheld, Value(14)]);
        assert_protected(&counts, &shown, 3);
    }

    #[test]
    fn small_parts_at_their_maximum_are_pinned() {
        // "< 3" + "< 3" + 0 = 4: both must be 2.
        let counts = breakdown(&[2, 2, 0]);
        let naive = [Small, Small, Value(0), Value(4)];
        assert_eq!(
            disclosed_cells(counts.values(), &naive, counts.constraints(), 3),
            [0, 1]
        );
        let shown = counts.suppress(3);
        assert_eq!(shown, [Small, Small, Value(0), Withheld]);
        assert_protected(&counts, &shown, 3);
    }

    #[test]
    fn small_parts_at_their_minimum_are_pinned() {
        // "< 3" + "< 3" + 5 = 7: both must be 1.
        let counts = breakdown(&[1, 1, 5]);
        let shown = counts.suppress(3);
        assert_eq!(shown, [Small, Small, Withheld, Value(7)]);
        assert_protected(&counts, &shown, 3);
        // With a threshold of 4 the range 1..3 leaves room: 2 = 1 + 1 only, still pinned.
        let counts = breakdown(&[1, 1, 9]);
        assert_eq!(counts.suppress(4), [Small, Small, Withheld, Value(11)]);
        // 1 + 2 = 3 is not pinned with two "< 3".
        let counts = breakdown(&[1, 2, 9]);
        assert_eq!(counts.suppress(3), [Small, Small, Value(9), Value(12)]);
    }

    #[test]
    fn a_line_of_small_counts_only_shows_its_total_as_x() {
        // "< 3" + "< 3" = "< 3" means 1 + 1 = 2; nothing is left to withhold, so the total
        // is printed "x" rather than "< 3".
        let counts = breakdown(&[1, 1]);
        let shown = counts.suppress(3);
        assert_eq!(shown, [Small, Small, Withheld]);
        assert_protected(&counts, &shown, 3);
    }

    #[test]
    fn zeros_are_shown_and_never_withheld() {
        let counts = breakdown(&[0, 0, 0]);
        assert_eq!(counts.suppress(3), [Value(0); 4]);
        let counts = breakdown(&[1, 0, 0]);
        // "< 3" = "< 3": the part equals the total, but neither value is known.
        assert_eq!(counts.suppress(3), [Small, Value(0), Value(0), Small]);
    }

    #[test]
    fn table_with_row_and_column_totals() {
        let (counts, grid, rows, cols, grand) = table(&[&[5, 1, 7], &[4, 6, 8], &[9, 7, 15]]);
        let shown = counts.suppress(3);
        assert_protected(&counts, &shown, 3);
        // The usual rectangle: the small cell, the smallest cells of its row and column and
        // the cell completing the rectangle; all totals stay visible.
        let hidden: Vec<CellId> = (0..shown.len()).filter(|&i| shown[i].is_hidden()).collect();
        assert_eq!(hidden, [grid[0][0], grid[0][1], grid[1][0], grid[1][1]]);
        assert_eq!(shown[grid[0][1]], Small);
        for &total in rows.iter().chain(&cols).chain([&grand]) {
            assert!(!shown[total].is_hidden());
        }
    }

    #[test]
    fn a_shared_total_is_hidden_in_every_breakdown() {
        // Breakdown A: 2 + 2 = 4 pins both small parts, so the total 4 is withheld. In
        // breakdown B (3 + 1 = 4) the total then lies in 3..4 by A and in 4..5 by B: it is
        // 4, the small part of B is 1 and A is 2 + 2 again.
        let mut counts = Counts::new();
        let a = [counts.cell(2), counts.cell(2)];
        let total = counts.sum_of(&a);
        let b = [counts.cell(3), counts.cell(1)];
        counts.constrain(total, &b);
        let naive = [Small, Small, Withheld, Value(3), Small];
        assert_eq!(
            disclosed_cells(counts.values(), &naive, counts.constraints(), 3),
            [0, 1, 2, 4]
        );
        // Withholding the 3 as well still leaves the total at least 3 + 1 by B and at most
        // 2 + 2 by A. Only a part of A printed "x" instead of "< 3" (so it may be more than
        // 2) ends it; the total is one cell, hidden in both breakdowns.
        let both = [Small, Small, Withheld, Withheld, Small];
        assert_eq!(
            disclosed_cells(counts.values(), &both, counts.constraints(), 3),
            [0, 1, 2, 3, 4]
        );
        let shown = counts.suppress(3);
        assert_eq!(shown, [Withheld, Small, Withheld, Value(3), Small]);
        assert_protected(&counts, &shown, 3);
    }

    #[test]
    fn a_figure_printed_in_two_tables_is_one_cell() {
        // The total of the first breakdown is a part of the second one (a subtotal).
        let mut counts = Counts::new();
        let inner = [counts.cell(1), counts.cell(6), counts.cell(9)];
        let subtotal = counts.sum_of(&inner);
        let other = [counts.cell(20), counts.cell(30)];
        let outer = counts.sum_of(&[subtotal, other[0], other[1]]);
        let shown = counts.suppress(3);
        assert_protected(&counts, &shown, 3);
        // Hiding inside the first breakdown suffices; the subtotal stays printed, so both
        // tables print it alike.
        assert_eq!(shown[inner[0]], Small);
        assert_eq!(shown[inner[1]], Withheld);
        assert_eq!(shown[subtotal], Value(16));
        assert_eq!(shown[outer], Value(66));
    }

    #[test]
    fn determined_cells_is_linear_algebra() {
        // Two rows, two columns, all totals visible, one cell hidden in each row and column
        // but not forming a cycle: each hidden cell is alone in a line.
        let (counts, grid, ..) = table(&[&[10, 20], &[30, 40]]);
        let mut shown: Vec<Shown> = counts.values().iter().map(|&v| Value(v)).collect();
        shown[grid[0][0]] = Withheld;
        assert_eq!(determined_cells(&shown, counts.constraints()), [grid[0][0]]);
        // The full rectangle: one degree of freedom, nothing determined.
        for &c in grid.iter().flatten() {
            shown[c] = Withheld;
        }
        assert!(determined_cells(&shown, counts.constraints()).is_empty());
        // A hidden total with its parts hidden too but a second breakdown fully visible.
        let mut counts = Counts::new();
        let a = [counts.cell(10), counts.cell(20)];
        let total = counts.sum_of(&a);
        let b = [counts.cell(15), counts.cell(15)];
        counts.constrain(total, &b);
        let shown = [Withheld, Withheld, Withheld, Value(15), Value(15)];
        assert_eq!(determined_cells(&shown, counts.constraints()), [total]);
    }

    #[test]
    fn shares_and_medians() {
        assert!(ratio_allowed(0, 10, 3));
        assert!(ratio_allowed(3, 10, 3));
        assert!(ratio_allowed(10, 10, 3));
        assert!(!ratio_allowed(1, 10, 3));
        assert!(!ratio_allowed(8, 10, 3), "the rest, 2, is small");
        assert!(!ratio_allowed(0, 2, 3), "the rest is the small denominator");
        assert!(!ratio_allowed(0, 0, 3));
        assert!(!ratio_allowed(5, 4, 3));
        assert!(!ratio_allowed(3, 10, 4));
        assert!(share_allowed(Value(5), Value(10), 3));
        assert!(!share_allowed(Withheld, Value(10), 3));
        assert!(!share_allowed(Value(5), Withheld, 3));
        assert!(!share_allowed(Small, Value(10), 3));
        assert!(!median_allowed(0, 3));
        assert!(!median_allowed(2, 3));
        assert!(median_allowed(3, 3));
        assert!(!median_allowed(3, 4));
        assert!(!median_allowed(2, 1), "threshold raised to 3");
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[4.0]), Some(4.0));
        assert_eq!(median(&[9.0, 1.0, 4.0]), Some(4.0));
        assert_eq!(median(&[9.0, 1.0, 4.0, 2.0]), Some(3.0));
    }

    #[test]
    fn csv_cells() {
        assert_eq!(csv_cell("Jobcenter"), "Jobcenter");
        assert_eq!(csv_cell("=1+1"), "'=1+1");
        assert_eq!(csv_cell("+49 30"), "'+49 30");
        assert_eq!(csv_cell("-5"), "'-5");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("\tx"), "'\tx");
        assert_eq!(csv_cell("\rx"), "\"'\rx\"");
        assert_eq!(csv_cell("a;b"), "\"a;b\"");
        assert_eq!(csv_cell("sagt \"ja\""), "\"sagt \"\"ja\"\"\"");
        assert_eq!(csv_cell("zwei\nZeilen"), "\"zwei\nZeilen\"");
        assert_eq!(csv_cell("=A1;\"x\""), "\"'=A1;\"\"x\"\"\"");
        assert_eq!(csv_cell("a=b"), "a=b");
        assert_eq!(csv_cell(""), "");
        assert_eq!(csv_cell("< 3"), "< 3");
        assert_eq!(csv_number(-5i64), "-5");
        assert_eq!(csv_number(12u64), "12");
        assert_eq!(csv_shown(Small, 3), "< 3");
        assert_eq!(csv_shown(Withheld, 3), "x");
        assert_eq!(csv_shown(Value(7), 3), "7");
        assert_eq!(
            csv_line(&[csv_cell("Jahr"), csv_number(2025u64), csv_cell("a;b")]),
            "Jahr;2025;\"a;b\"\r\n"
        );
        assert_eq!(csv_line(&[]), "\r\n");
        assert_eq!(csv::CSV_BOM, "\u{feff}");
        assert_eq!(csv::CSV_BOM.as_bytes(), [0xef, 0xbb, 0xbf]);
    }

    #[test]
    fn decimal_commas() {
        assert_eq!(decimal_comma(12.5, 1), "12,5");
        assert_eq!(decimal_comma(12.5, 0).len(), 2);
        assert_eq!(decimal_comma(3.0, 0), "3");
        assert_eq!(decimal_comma(1234.5678, 2), "1234,57");
        assert_eq!(decimal_comma(-2.25, 1).chars().next(), Some('-'));
        assert_eq!(decimal_comma(-1.5, 1), "-1,5");
        assert_eq!(decimal_comma(-0.04, 1), "0,0");
        assert_eq!(decimal_comma(-0.0, 2), "0,00");
        assert_eq!(decimal_comma(f64::NAN, 1), "");
        assert_eq!(decimal_comma(f64::INFINITY, 1), "");
    }

    // -----------------------------------------------------------------------------------
    // Property test with checks coded independently of the module: ranks modulo a prime
    // instead of reduced echelon rows, and a search for a second integer solution instead of
    // interval propagation.

    /// xorshift64*.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
        }

        /// Uniform-ish in `lo..=hi`.
        fn range(&mut self, lo: u64, hi: u64) -> u64 {
            lo + self.next() % (hi - lo + 1)
        }

        fn size(&mut self, lo: usize, hi: usize) -> usize {
            let lo64 = u64::try_from(lo).expect("small");
            let hi64 = u64::try_from(hi).expect("small");
            usize::try_from(self.range(lo64, hi64)).expect("small")
        }

        fn chance(&mut self, percent: u64) -> bool {
            self.next() % 100 < percent
        }

        /// A count, with many zeros and small values.
        fn count(&mut self, t: u64) -> u64 {
            match self.next() % 100 {
                0..20 => 0,
                20..55 => self.range(1, t - 1),
                55..85 => self.range(t, t + 6),
                _ => self.range(t, 40),
            }
        }
    }

    fn cells(counts: &mut Counts, rng: &mut Rng, n: usize, t: u64) -> Vec<CellId> {
        (0..n).map(|_| counts.cell(rng.count(t))).collect()
    }

    /// Parts (at least two) that add up to `total`.
    fn split(counts: &mut Counts, rng: &mut Rng, total: u64, n: usize, t: u64) -> Vec<CellId> {
        let mut rest = total;
        let mut parts = Vec::new();
        for _ in 1..n {
            let v = rng.count(t).min(rest);
            rest -= v;
            parts.push(counts.cell(v));
        }
        parts.push(counts.cell(rest));
        parts
    }

    fn random_table(rng: &mut Rng, t: u64) -> Counts {
        let mut counts = Counts::new();
        match rng.next() % 5 {
            // One breakdown.
            0 => {
                let n = rng.size(2, 8);
                let parts = cells(&mut counts, rng, n, t);
                counts.sum_of(&parts);
            }
            // Rows and columns with totals, sometimes with a second breakdown of the
            // grand total.
            1 | 2 => {
                let (r, c) = (rng.size(2, 4), rng.size(2, 4));
                let grid: Vec<Vec<CellId>> =
                    (0..r).map(|_| cells(&mut counts, rng, c, t)).collect();
                let rows: Vec<CellId> = grid.iter().map(|row| counts.sum_of(row)).collect();
                let cols: Vec<CellId> = (0..c)
                    .map(|j| {
                        let column: Vec<CellId> = grid.iter().map(|row| row[j]).collect();
                        counts.sum_of(&column)
                    })
                    .collect();
                let grand = counts.sum_of(&rows);
                counts.constrain(grand, &cols);
                if rng.chance(40) {
                    let total = counts.value(grand);
                    let n = rng.size(2, 4);
                    let parts = split(&mut counts, rng, total, n, t);
                    counts.constrain(grand, &parts);
                }
            }
            // Several breakdowns of one total.
            3 => {
                let n = rng.size(2, 6);
                let parts = cells(&mut counts, rng, n, t);
                let total = counts.sum_of(&parts);
                for _ in 0..rng.size(1, 2) {
                    let value = counts.value(total);
                    let n = rng.size(2, 6);
                    let other = split(&mut counts, rng, value, n, t);
                    counts.constrain(total, &other);
                }
            }
            // A breakdown with a part broken down again (a subtotal).
            _ => {
                let n = rng.size(2, 4);
                let inner = cells(&mut counts, rng, n, t);
                let subtotal = counts.sum_of(&inner);
                let n = rng.size(1, 4);
                let mut outer = cells(&mut counts, rng, n, t);
                outer.push(subtotal);
                counts.sum_of(&outer);
            }
        }
        counts
    }

    const P: u128 = (1 << 61) - 1;

    /// Rank modulo `P`, by row echelon form with modular inverses (Fermat).
    fn rank_mod(mut m: Vec<Vec<u128>>) -> usize {
        let width = m.first().map_or(0, Vec::len);
        let inverse = |a: u128| {
            let (mut base, mut e, mut r) = (a, P - 2, 1u128);
            while e > 0 {
                if e % 2 == 1 {
                    r = r * base % P;
                }
                base = base * base % P;
                e /= 2;
            }
            r
        };
        let mut rank = 0;
        for col in 0..width {
            let Some(p) = (rank..m.len()).find(|&r| m[r][col] != 0) else {
                continue;
            };
            m.swap(rank, p);
            let inv = inverse(m[rank][col]);
            let pivot = m[rank].clone();
            for row in &mut m[rank + 1..] {
                let f = row[col] * inv % P;
                for (x, &y) in row.iter_mut().zip(&pivot).skip(col) {
                    *x = (*x + P - f * y % P) % P;
                }
            }
            rank += 1;
        }
        rank
    }

    /// Hidden cells whose unit vector does not raise the rank of the hidden-cell
    /// coefficient matrix: the cells the linear system determines.
    fn independently_determined(shown: &[Shown], constraints: &[Constraint]) -> Vec<CellId> {
        let hidden: Vec<CellId> = (0..shown.len()).filter(|&i| shown[i].is_hidden()).collect();
        let matrix: Vec<Vec<u128>> = constraints
            .iter()
            .map(|c| {
                hidden
                    .iter()
                    .map(|&h| {
                        let plus = c.parts.iter().filter(|&&p| p == h).count();
                        let minus = usize::from(c.total == h);
                        let plus = u128::try_from(plus).expect("small");
                        let minus = u128::try_from(minus).expect("small");
                        (plus + P - minus) % P
                    })
                    .collect()
            })
            .collect();
        let base = rank_mod(matrix.clone());
        hidden
            .iter()
            .enumerate()
            .filter(|&(k, _)| {
                let mut extended = matrix.clone();
                extended.push((0..hidden.len()).map(|j| u128::from(j == k)).collect());
                rank_mod(extended) == base
            })
            .map(|(_, &h)| h)
            .collect()
    }

    /// Whether some integer assignment of the hidden cells, within what the labels say and
    /// below `cap`, satisfies every constraint and gives `cell` another value than it has.
    fn second_solution(
        values: &[u64],
        shown: &[Shown],
        constraints: &[Constraint],
        t: u64,
        cell: CellId,
        cap: i64,
    ) -> bool {
        let t = i64::try_from(t).expect("small");
        let domain: Vec<(i64, i64)> = values
            .iter()
            .zip(shown)
            .map(|(&v, &s)| {
                let v = i64::try_from(v).expect("small");
                match s {
                    Value(_) => (v, v),
                    Small => (1, t - 1),
                    Withheld if v >= t => (t, cap),
                    Withheld => (1, cap),
                }
            })
            .collect();
        let mut x: Vec<Option<i64>> = shown
            .iter()
            .map(|s| s.value().map(|v| i64::try_from(v).expect("small")))
            .collect();
        let truth = i64::try_from(values[cell]).expect("small");
        (domain[cell].0..=domain[cell].1)
            .filter(|&v| v != truth)
            .any(|v| {
                x[cell] = Some(v);
                let found = search(&mut x, &domain, constraints);
                x[cell] = None;
                found
            })
    }

    /// Depth-first search for a completion of `x`: a constraint with one open cell fixes
    /// it; otherwise the first open cell is tried over its domain. Prunes a constraint whose
    /// sum can no longer be reached.
    fn search(x: &mut [Option<i64>], domain: &[(i64, i64)], constraints: &[Constraint]) -> bool {
        let mut forced = None;
        for c in constraints {
            // sum(parts) - total over the assigned cells, range over the open ones.
            let terms = c.parts.iter().map(|&p| (p, 1)).chain([(c.total, -1)]);
            let (mut fixed, mut lo, mut hi, mut open) = (0i64, 0i64, 0i64, Vec::new());
            for (cell, sign) in terms {
                if let Some(v) = x[cell] {
                    fixed += sign * v;
                } else {
                    let (a, b) = domain[cell];
                    if sign > 0 {
                        lo += a;
                        hi += b;
                    } else {
                        lo -= b;
                        hi -= a;
                    }
                    open.push((cell, sign));
                }
            }
            if fixed + lo > 0 || fixed + hi < 0 {
                return false;
            }
            if let [(cell, sign)] = open[..] {
                forced = Some((cell, -fixed * sign));
            }
        }
        if let Some((cell, v)) = forced {
            if v < domain[cell].0 || v > domain[cell].1 {
                return false;
            }
            x[cell] = Some(v);
            let found = search(x, domain, constraints);
            x[cell] = None;
            return found;
        }
        let Some(cell) = (0..x.len()).find(|&i| x[i].is_none()) else {
            return true;
        };
        let (a, b) = domain[cell];
        for v in a..=b {
            x[cell] = Some(v);
            if search(x, domain, constraints) {
                x[cell] = None;
                return true;
            }
        }
        x[cell] = None;
        false
    }

    /// Hidden cells without a second solution: the exact integer disclosure.
    fn exactly_disclosed(counts: &Counts, shown: &[Shown], t: u64) -> Vec<CellId> {
        let max = counts.values().iter().copied().max().unwrap_or(0);
        let cap = i64::try_from(max + t + 1).expect("small");
        (0..shown.len())
            .filter(|&i| shown[i].is_hidden())
            .filter(|&i| !second_solution(counts.values(), shown, counts.constraints(), t, i, cap))
            .collect()
    }

    fn threshold(rng: &mut Rng) -> u64 {
        match rng.next() % 10 {
            0 => 4,
            1 => 5,
            _ => 3,
        }
    }

    #[test]
    fn property_no_hidden_count_can_be_recovered() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let (mut tables, mut hidden, mut secondary, mut widened) = (0, 0, 0, 0);
        for _ in 0..3000 {
            let t = threshold(&mut rng);
            let counts = random_table(&mut rng, t);
            let values = counts.values();
            // (c) the generator is sane.
            for c in counts.constraints() {
                let sum: u64 = c.parts.iter().map(|&p| values[p]).sum();
                assert_eq!(sum, values[c.total]);
            }
            let shown = counts.suppress(t);
            // (a) nothing in 1..t-1 is printed; the labels tell the truth.
            for (&v, &s) in values.iter().zip(&shown) {
                match s {
                    Value(p) => assert!(p == v && !(1..t).contains(&v), "{v} printed"),
                    Small => assert!((1..t).contains(&v)),
                    Withheld => {
                        assert!(v > 0);
                        secondary += 1;
                        widened += usize::from(v < t);
                    }
                }
            }
            hidden += shown.iter().filter(|s| s.is_hidden()).count();
            // (b) no hidden cell is determined by the linear system ...
            let determined = independently_determined(&shown, counts.constraints());
            assert!(determined.is_empty(), "{values:?} {shown:?} {determined:?}");
            // ... no line pins its small cells by its sum ...
            for c in counts.constraints() {
                let line: Vec<CellId> = c.parts.iter().copied().chain([c.total]).collect();
                if shown[c.total].is_hidden()
                    || !line.iter().all(|&i| matches!(shown[i], Value(_) | Small))
                {
                    continue;
                }
                let small = c.parts.iter().filter(|&&p| shown[p] == Small).count();
                let small = u64::try_from(small).expect("small");
                let printed: u64 = c.parts.iter().filter_map(|&p| shown[p].value()).sum();
                let sum = values[c.total] - printed;
                if small > 0 {
                    assert!(
                        sum != small && sum != small * (t - 1),
                        "{values:?} {shown:?}"
                    );
                }
            }
            // ... and no hidden cell has a single value in the integer solutions.
            let exact = exactly_disclosed(&counts, &shown, t);
            assert!(
                exact.is_empty(),
                "{values:?} {shown:?} {exact:?} {:?}",
                counts.constraints()
            );
            tables += 1;
        }
        assert_eq!(tables, 3000);
        // The generator produced work for the secondary suppression.
        assert!(
            hidden > 10_000 && secondary > 2_000 && widened > 0,
            "{hidden} {secondary} {widened}"
        );
    }

    #[test]
    fn the_checks_of_the_module_agree_with_the_independent_ones() {
        // Random printed states (primary suppression plus random withholding), not only
        // those `suppress` produces: the module's checks find exactly what the independent
        // ones find.
        let mut rng = Rng(0x0123_4567_89ab_cdef);
        let mut disclosures = 0;
        for _ in 0..1500 {
            let t = threshold(&mut rng);
            let counts = random_table(&mut rng, t);
            let values = counts.values();
            let shown: Vec<Shown> = values
                .iter()
                .map(|&v| {
                    if v > 0 && v < t {
                        Small
                    } else if v > 0 && rng.chance(25) {
                        Withheld
                    } else {
                        Value(v)
                    }
                })
                .collect();
            assert_eq!(
                determined_cells(&shown, counts.constraints()),
                independently_determined(&shown, counts.constraints())
            );
            let exact = exactly_disclosed(&counts, &shown, t);
            let found = disclosed_cells(values, &shown, counts.constraints(), t);
            assert_eq!(found, exact, "{values:?} {shown:?}");
            disclosures += exact.len();
        }
        assert!(disclosures > 500, "{disclosures}");
    }
}
