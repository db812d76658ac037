/// Parses the timestamps record formats print into seconds since 1970, keeping the zone when given.
///
/// Understood: ISO 8601 and its log variants (`2026-11-25 10:00:00,123`, `2026-11-25T10:00:00.123456789Z`,
/// `+01:00`, `+0100`, ` UTC`), `2026/11/25 10:00:00` (Go, nginx), `Nov 25, 2026 10:00:00 AM`
/// (java.util.logging), `Wed Nov 25 10:00:00.123456 2026` (Apache). Formats without a year (syslog,
/// klog) keep their text and no instant. Times without a zone are read as UTC with
/// ``Timestamp/utcOffsetKnown`` false.
enum TimestampParser {
    static func parse(_ text: String) -> Timestamp {
        let bytes = Array(text.utf8)
        if let (seconds, zoned) = parseNumeric(bytes) ?? parseMonthName(bytes) {
            return Timestamp(text: text, secondsSince1970: seconds, utcOffsetKnown: zoned)
        }
        return Timestamp(text: text, secondsSince1970: nil, utcOffsetKnown: false)
    }

    /// `YYYY-MM-DD[T ]hh:mm:ss[.,frac][zone]` and `YYYY/MM/DD hh:mm:ss[.frac]`.
    private static func parseNumeric(_ bytes: [UInt8]) -> (Double, Bool)? {
        var cursor = Cursor(bytes)
        guard let year = cursor.number(4), cursor.skip(["-", "/"]), let month = cursor.number(2),
              cursor.skip(["-", "/"]), let day = cursor.number(2), cursor.skip(["T", " ", "_"]),
              let hour = cursor.number(2), cursor.skip([":"]), let minute = cursor.number(2), cursor.skip([":"]),
              let second = cursor.number(2)
        else { return nil }
        let fraction = cursor.fraction()
        let (offset, zoned) = cursor.zone()
        guard let days = daysSince1970(year: year, month: month, day: day), hour < 24, minute < 60, second < 61 else {
            return nil
        }
        let seconds = Double(days * 86_400 + hour * 3_600 + minute * 60 + second) + fraction - Double(offset)
        return (seconds, zoned)
    }

    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// `Nov 25, 2026 10:00:00 AM` and `Wed Nov 25 10:00:00.123456 2026`.
    private static func parseMonthName(_ bytes: [UInt8]) -> (Double, Bool)? {
        let words = String(decoding: bytes, as: UTF8.self)
            .split(whereSeparator: { $0 == " " || $0 == "," }).map { $0.lowercased() }
        guard let monthIndex = words.firstIndex(where: { months.contains(String($0.prefix(3))) && $0.count == 3 }),
              monthIndex + 1 < words.count, let day = Int(words[monthIndex + 1]),
              let month = months.firstIndex(of: words[monthIndex]).map({ $0 + 1 })
        else { return nil }
        guard let year = words.compactMap({ $0.count == 4 ? Int($0) : nil }).first,
              let time = words.first(where: { $0.contains(":") })
        else { return nil }
        let parts = time.split(separator: ":")
        guard parts.count == 3, var hour = Int(parts[0]), let minute = Int(parts[1]) else { return nil }
        let secondParts = parts[2].split(separator: ".")
        guard let second = Int(secondParts[0]) else { return nil }
        let fraction = secondParts.count > 1 ? (Double("0." + secondParts[1]) ?? 0) : 0
        if words.contains("pm"), hour < 12 { hour += 12 }
        if words.contains("am"), hour == 12 { hour = 0 }
        guard let days = daysSince1970(year: year, month: month, day: day) else { return nil }
        return (Double(days * 86_400 + hour * 3_600 + minute * 60 + second) + fraction, false)
    }

    /// Days from 1970-01-01 to a civil date (proleptic Gregorian), or nil for an impossible date.
    static func daysSince1970(year: Int, month: Int, day: Int) -> Int? {
        guard (1...12).contains(month), (1...31).contains(day) else { return nil }
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private struct Cursor {
        let bytes: [UInt8]
        var index = 0

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        mutating func number(_ digits: Int) -> Int? {
            guard index + digits <= bytes.count else { return nil }
            var value = 0
            for offset in 0..<digits {
                let byte = bytes[index + offset]
                guard byte >= 0x30 && byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            index += digits
            return value
        }

        mutating func skip(_ separators: [Character]) -> Bool {
            guard index < bytes.count, separators.contains(Character(UnicodeScalar(bytes[index]))) else { return false }
            index += 1
            return true
        }

        mutating func fraction() -> Double {
            guard index < bytes.count, bytes[index] == UInt8(ascii: ".") || bytes[index] == UInt8(ascii: ",") else {
                return 0
            }
            index += 1
            var value = 0.0
            var scale = 0.1
            while index < bytes.count, bytes[index] >= 0x30 && bytes[index] <= 0x39 {
                value += Double(bytes[index] - 0x30) * scale
                scale /= 10
                index += 1
            }
            return value
        }

        /// The UTC offset in seconds and whether a zone was present.
        mutating func zone() -> (Int, Bool) {
            while index < bytes.count, bytes[index] == UInt8(ascii: " ") { index += 1 }
            guard index < bytes.count else { return (0, false) }
            switch bytes[index] {
            case UInt8(ascii: "Z"):
                return (0, true)
            case UInt8(ascii: "U") where bytes[index...].starts(with: Array("UTC".utf8)):
                return (0, true)
            case UInt8(ascii: "+"), UInt8(ascii: "-"):
                let sign = bytes[index] == UInt8(ascii: "+") ? 1 : -1
                index += 1
                guard let hours = number(2) else { return (0, false) }
                if index < bytes.count, bytes[index] == UInt8(ascii: ":") { index += 1 }
                let minutes = number(2) ?? 0
                return (sign * (hours * 3_600 + minutes * 60), true)
            default:
                return (0, false)
            }
        }
    }
}
