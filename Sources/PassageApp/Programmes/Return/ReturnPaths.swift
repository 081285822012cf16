import Foundation

/// The addresses of the return programme's pages.
enum ReturnPaths {
    static let worklist = "/return"
    static let rules = "/return/rules"
    static let outreach = "/return/outreach"
    static let workload = "/return/workload"
    static let travelDocuments = "/return/travel-documents"
    static let exceptions = "/return/exceptions"
    static let medical = "/return/medical"
    static func file(_ caseID: UUID) -> String { "/return/cases/\(caseID.uuidString)" }
}
