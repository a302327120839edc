//! A port of Go's `sort.Sort` (`zsortinterface.go`, Go 1.19+), on a slice with a `less`.

#[derive(PartialEq, Eq, Clone, Copy)]
enum Hint {
    Unknown,
    Increasing,
    Decreasing,
}

pub(super) fn sort<T: Copy>(
    v: &mut [T],
    less: &impl Fn(&T, &T) -> bool,
    a: usize,
    b: usize,
    limit: usize,
) {
    pdq(v, less, a, b, limit);
}

fn insertion_sort<T: Copy>(v: &mut [T], less: &impl Fn(&T, &T) -> bool, a: usize, b: usize) {
    for i in a + 1..b {
        let mut j = i;
        while j > a && less(&v[j], &v[j - 1]) {
            v.swap(j, j - 1);
            j -= 1;
        }
    }
}

fn sift_down<T: Copy>(
    v: &mut [T],
    less: &impl Fn(&T, &T) -> bool,
    lo: usize,
    hi: usize,
    first: usize,
) {
    let mut root = lo;
    loop {
        let mut child = 2 * root + 1;
        if child >= hi {
            return;
        }
        if child + 1 < hi && less(&v[first + child], &v[first + child + 1]) {
            child += 1;
        }
        if !less(&v[first + root], &v[first + child]) {
            return;
        }
        v.swap(first + root, first + child);
        root = child;
    }
}

fn heap_sort<T: Copy>(v: &mut [T], less: &impl Fn(&T, &T) -> bool, a: usize, b: usize) {
    let first = a;
    let lo = 0;
    let hi = b - a;
    let mut i = (hi - 1) / 2;
    loop {
        sift_down(v, less, i, hi, first);
        if i == 0 {
            break;
        }
        i -= 1;
    }
    let mut i = hi - 1;
    loop {
        v.swap(first, first + i);
        sift_down(v, less, lo, i, first);
        if i == 0 {
            break;
        }
        i -= 1;
    }
}

fn pdq<T: Copy>(
    v: &mut [T],
    less: &impl Fn(&T, &T) -> bool,
    mut a: usize,
    mut b: usize,
    mut limit: usize,
) {
    const MAX_INSERTION: usize = 12;
    let mut was_balanced = true;
    let mut was_partitioned = true;
    loop {
        let length = b - a;
        if length <= MAX_INSERTION {
            insertion_sort(v, less, a, b);
            return;
        }
        if limit == 0 {
            heap_sort(v, less, a, b);
            return;
        }
        if !was_balanced {
            break_patterns(v, a, b);
            limit -= 1;
        }
        let (mut pivot, mut hint) = choose_pivot(v, less, a, b);
        if hint == Hint::Decreasing {
            reverse_range(v, a, b);
            pivot = (b - 1) - (pivot - a);
            hint = Hint::Increasing;
        }
        if was_balanced
            && was_partitioned
            && hint == Hint::Increasing
            && partial_insertion_sort(v, less, a, b)
        {
            return;
        }
        if a > 0 && !less(&v[a - 1], &v[pivot]) {
            a = partition_equal(v, less, a, b, pivot);
            continue;
        }
        let (mid, already) = partition(v, less, a, b, pivot);
        was_partitioned = already;
        let (left_len, right_len) = (mid - a, b - mid);
        let balance_threshold = length / 8;
        if left_len < right_len {
            was_balanced = left_len >= balance_threshold;
            pdq(v, less, a, mid, limit);
            a = mid + 1;
        } else {
            was_balanced = right_len >= balance_threshold;
            pdq(v, less, mid + 1, b, limit);
            b = mid;
        }
    }
}

fn partition<T: Copy>(
    v: &mut [T],
    less: &impl Fn(&T, &T) -> bool,
    a: usize,
    b: usize,
    pivot: usize,
) -> (usize, bool) {
    v.swap(a, pivot);
    let (mut i, mut j) = (a + 1, b - 1);
    while i <= j && less(&v[i], &v[a]) {
        i += 1;
    }
    while i <= j && !less(&v[j], &v[a]) {
        j -= 1;
    }
    if i > j {
        v.swap(j, a);
        return (j, true);
    }
    v.swap(i, j);
    i += 1;
    j -= 1;
    loop {
        while i <= j && less(&v[i], &v[a]) {
            i += 1;
        }
        while i <= j && !less(&v[j], &v[a]) {
            j -= 1;
        }
        if i > j {
            break;
        }
        v.swap(i, j);
        i += 1;
        j -= 1;
    }
    v.swap(j, a);
    (j, false)
}

fn partition_equal<T: Copy>(
    v: &mut [T],
    less: &impl Fn(&T, &T) -> bool,
    a: usize,
    b: usize,
    pivot: usize,
) -> usize {
    v.swap(a, pivot);
    let (mut i, mut j) = (a + 1, b - 1);
    loop {
        while i <= j && !less(&v[a], &v[i]) {
            i += 1;
        }
        while i <= j && less(&v[a], &v[j]) {
            j -= 1;
        }
        if i > j {
            break;
        }
        v.swap(i, j);
        i += 1;
        j -= 1;
    }
    i
}

fn partial_insertion_sort<T: Copy>(
    v: &mut [T],
    less: &impl Fn(&T, &T) -> bool,
    a: usize,
    b: usize,
) -> bool {
    const MAX_STEPS: usize = 5;
    const SHORTEST_SHIFTING: usize = 50;
    let mut i = a + 1;
    for _ in 0..MAX_STEPS {
        while i < b && !less(&v[i], &v[i - 1]) {
            i += 1;
        }
        if i == b {
            return true;
        }
        if b - a < SHORTEST_SHIFTING {
            return false;
        }
        v.swap(i, i - 1);
        if i - a >= 2 {
            let mut j = i - 1;
            while j >= 1 {
                if !less(&v[j], &v[j - 1]) {
                    break;
                }
                v.swap(j, j - 1);
                j -= 1;
            }
        }
        if b - i >= 2 {
            let mut j = i + 1;
            while j < b {
                if !less(&v[j], &v[j - 1]) {
                    break;
                }
                v.swap(j, j - 1);
                j += 1;
            }
        }
    }
    false
}

fn break_patterns<T: Copy>(v: &mut [T], a: usize, b: usize) {
    let length = b - a;
    if length >= 8 {
        let mut random = length as u64;
        let modulus = 1u64 << (u64::BITS - (length as u64).leading_zeros());
        let idx = a + (length / 4) * 2 - 1;
        for i in 0..3 {
            random ^= random << 13;
            random ^= random >> 7;
            random ^= random << 17;
            let mut other = (random & (modulus - 1)) as usize;
            if other >= length {
                other -= length;
            }
            v.swap(idx - 1 + i, a + other);
        }
    }
}

fn choose_pivot<T: Copy>(
    v: &mut [T],
    less: &impl Fn(&T, &T) -> bool,
    a: usize,
    b: usize,
) -> (usize, Hint) {
    const SHORTEST_NINTHER: usize = 50;
    const MAX_SWAPS: usize = 4 * 3;
    let l = b - a;
    let mut swaps = 0usize;
    let mut i = a + l / 4;
    let mut j = a + l / 4 * 2;
    let mut k = a + l / 4 * 3;
    if l >= 8 {
        if l >= SHORTEST_NINTHER {
            i = median_adjacent(v, less, i, &mut swaps);
            j = median_adjacent(v, less, j, &mut swaps);
            k = median_adjacent(v, less, k, &mut swaps);
        }
        j = median(v, less, i, j, k, &mut swaps);
    }
    match swaps {
        0 => (j, Hint::Increasing),
        MAX_SWAPS => (j, Hint::Decreasing),
        _ => (j, Hint::Unknown),
    }
}

fn order2<T: Copy>(
    v: &[T],
    less: &impl Fn(&T, &T) -> bool,
    a: usize,
    b: usize,
    swaps: &mut usize,
) -> (usize, usize) {
    if less(&v[b], &v[a]) {
        *swaps += 1;
        (b, a)
    } else {
        (a, b)
    }
}

fn median<T: Copy>(
    v: &[T],
    less: &impl Fn(&T, &T) -> bool,
    a: usize,
    b: usize,
    c: usize,
    swaps: &mut usize,
) -> usize {
    let (a, b) = order2(v, less, a, b, swaps);
    let (b, c) = order2(v, less, b, c, swaps);
    let (_, b) = order2(v, less, a, b, swaps);
    let _ = c;
    b
}

fn median_adjacent<T: Copy>(
    v: &[T],
    less: &impl Fn(&T, &T) -> bool,
    a: usize,
    swaps: &mut usize,
) -> usize {
    median(v, less, a - 1, a, a + 1, swaps)
}

fn reverse_range<T: Copy>(v: &mut [T], a: usize, b: usize) {
    let (mut i, mut j) = (a, b - 1);
    while i < j {
        v.swap(i, j);
        i += 1;
        j -= 1;
    }
}
