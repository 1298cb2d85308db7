/// Binary search over positions of a sorted sequence.
public enum SortedSearch {
    /// The first position in `range` where `isBelow` turns false. `isBelow` must hold for a
    /// prefix of `range` and not after it (the elements being sorted by the key it compares).
    public static func firstPosition(in range: Range<Int>, where isBelow: (Int) -> Bool) -> Int {
        var low = range.lowerBound
        var high = range.upperBound
        while low < high {
            let middle = low + (high - low) / 2
            if isBelow(middle) { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
