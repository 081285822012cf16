import Foundation

/// How a passenger passes through the hub airport.
public enum MovementType: String, CaseIterable, Codable, Sendable {
    case departure, transit, arrival
}

/// One flight as the manifest sees it: airport codes and local times at each end.
public struct ManifestLeg: Sendable, Equatable {
    public var flight: String
    public var from: String
    public var to: String
    public var departsLocal: String
    public var arrivesLocal: String
    public init(flight: String, from: String, to: String, departsLocal: String, arrivesLocal: String) {
        self.flight = flight; self.from = from; self.to = to; self.departsLocal = departsLocal;
        self.arrivesLocal = arrivesLocal
    }
}

public struct Movement: Sendable, Equatable {
    public var type: MovementType
    /// The hub's local day of the movement.
    public var day: String
    /// The hub's local time (`14:35`): departure from the hub, or arrival at it.
    public var time: String
    public var inbound: ManifestLeg?
    public var outbound: ManifestLeg?
}

public enum Manifest {
    /// Where an itinerary touches the hub: it leaves from it, connects through it, or ends at it.
    /// Days and times are the hub's own, because each leg's times are stored in its airports' time zones.
    public static func movements(_ legs: [ManifestLeg], hub: String) -> [Movement] {
        var out: [Movement] = []
        for (i, leg) in legs.enumerated() {
            let prev = i > 0 ? legs[i - 1] : nil
            let next = i + 1 < legs.count ? legs[i + 1] : nil
            if leg.from == hub {
                if let p = prev, p.to == hub {
                    out.append(
                        Movement(
                            type: .transit, day: String(p.arrivesLocal.prefix(10)),
                            time: String(p.arrivesLocal.suffix(5)), inbound: p, outbound: leg))
                } else {
                    out.append(
                        Movement(
                            type: .departure, day: String(leg.departsLocal.prefix(10)),
                            time: String(leg.departsLocal.suffix(5)), inbound: nil, outbound: leg))
                }
            }
            if leg.to == hub && next?.from != hub {
                out.append(
                    Movement(
                        type: .arrival, day: String(leg.arrivesLocal.prefix(10)),
                        time: String(leg.arrivesLocal.suffix(5)), inbound: leg, outbound: nil))
            }
        }
        return out
    }
}

/// Who took the passenger over on arrival.
public enum HandoverKind: String, CaseIterable, Codable, Sendable {
    case receptionAuthority = "reception_authority"
    case familyMember = "family_member"
}

public enum TransitAssistance: String, CaseIterable, Codable, Sendable {
    case rebooking, meals, hotel
}

/// What the airport team records for a passenger's movement.
public struct HandlingInput: Sendable, Equatable {
    public var checkedIn: Bool
    public var exitFormalities: Bool
    public var handoverTo: HandoverKind?
    public var handoverName: String
    public var transitAssistance: [TransitAssistance]
    public var note: String

    public static func read(_ f: [String: String], type: MovementType) throws -> HandlingInput {
        var e = ValidationErrors()
        var handover: HandoverKind?
        if let raw = f["handoverTo"], !raw.isEmpty {
            handover = HandoverKind(rawValue: raw)
            if handover == nil {
                e.add("handoverTo", "must be one of " + HandoverKind.allCases.map(\.rawValue).joined(separator: ", "))
            }
        }
        let name = Input.text(f["handoverName"], field: "handoverName", max: 200, into: &e)
        if handover != nil && name.isEmpty {
            e.add("handoverName", "name the person or authority who took the passenger over")
        }
        if handover == nil && !name.isEmpty { e.add("handoverTo", "choose who took the passenger over") }
        if handover != nil && type != .arrival { e.add("handoverTo", "is recorded on arrival only") }
        var assist: [TransitAssistance] = []
        for r in (f["transitAssistance"] ?? "").split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) })
        where !r.isEmpty {
            guard let k = TransitAssistance(rawValue: r) else {
                e.add("transitAssistance", "'\(r)' is not one of rebooking, meals, hotel"); continue
            }
            if !assist.contains(k) { assist.append(k) }
        }
        if !assist.isEmpty && type != .transit { e.add("transitAssistance", "is recorded for transits only") }
        let exit = Input.flag(f["exitFormalities"])
        let checkIn = Input.flag(f["checkedIn"])
        if (exit || checkIn) && type == .arrival {
            e.add("checkedIn", "check-in and exit formalities are recorded for departures and transits")
        }
        let note = Input.text(f["note"], field: "note", max: 1000, into: &e)
        try e.throwIfAny()
        return HandlingInput(
            checkedIn: checkIn, exitFormalities: exit, handoverTo: handover, handoverName: name,
            transitAssistance: assist, note: note)
    }
}
