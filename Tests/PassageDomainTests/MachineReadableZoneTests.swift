import Foundation
import Testing

@testable import PassageDomain

@Suite struct MachineReadableZoneTests {
    /// ICAO Doc 9303 part 4's specimen passport.
    static let line1 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
    static let line2 = "L898902C36UTO7408122F1204159ZE184226B<<<<<10"

    @Test func the_check_digit_weighs_seven_three_one() {
        #expect(MRZ.checkDigit("L898902C3") == 6)
        #expect(MRZ.checkDigit("740812") == 2)
        #expect(MRZ.checkDigit("120415") == 9)
        #expect(MRZ.checkDigit("ZE184226B<<<<<") == 1)
        #expect(MRZ.checkDigit("<<<<") == 0)
    }

    @Test func the_specimen_is_read_field_by_field() throws {
        let z = try MRZ.read(Self.line1 + "\n" + Self.line2)
        #expect(z.documentCode == "P" && z.issuingState == "UTO" && z.nationality == "UTO")
        #expect(z.surname == "ERIKSSON" && z.givenNames == "ANNA MARIA")
        #expect(z.documentNumber == "L898902C3" && z.birthDate == "740812" && z.sex == "F")
        #expect(z.expiryDate == "120415" && z.optionalData == "ZE184226B")
        // Pasted as one line in lower case with spaces: the same.
        #expect(try MRZ.read((Self.line1 + " " + Self.line2).lowercased()) == z)
    }

    @Test func each_wrong_check_digit_is_named() {
        func faults(_ l2: String) -> [String] {
            do {
                _ = try MRZ.read(Self.line1 + l2)
                return []
            } catch let e as ValidationErrors {
                return e.items.map(\.message)
            } catch { return ["\(error)"] }
        }
        // The document number's digit: 6 → 5 (the composite fails with it).
        let number = faults("L898902C35UTO7408122F1204159ZE184226B<<<<<10")
        #expect(number.contains("the check digit of the document number is 6, the zone says 5"))
        #expect(number.contains { $0.contains("composite") })
        #expect(
            faults("L898902C36UTO7408123F1204159ZE184226B<<<<<10").contains(
                "the check digit of the date of birth is 2, the zone says 3"))
        #expect(
            faults("L898902C36UTO7408122F1204158ZE184226B<<<<<10").contains(
                "the check digit of the date of expiry is 9, the zone says 8"))
        #expect(
            faults("L898902C36UTO7408122F1204159ZE184226B<<<<<11") == [
                "the check digit of the whole second line (composite) is 0, the zone says 1"
            ])
        #expect(faults("L898902C36UTO7413122F1204159ZE184226B<<<<<10").contains { $0.contains("is not a date") })
        #expect(faults(String(Self.line2.dropLast())).first?.contains("44 characters") == true)
        #expect(faults(Self.line2.replacingOccurrences(of: "F", with: "Ü")).first?.contains("only letters") == true)
    }
}
