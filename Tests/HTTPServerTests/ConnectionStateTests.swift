import XCTest
@testable import HTTPServer

/// The connection lifecycle without sockets: each event, from each phase,
/// and the action the event loop is told to take.
final class ConnectionStateTests: XCTestCase {
    private let timeouts = ConnectionState.Timeouts(head: 100, idle: 1_000)

    /// A connection in `phase` at time 0 (handling: a request was dispatched;
    /// closing: its request could not be read).
    private func state(_ phase: ConnectionState.Phase, peerClosed: Bool = false) -> ConnectionState {
        var state = ConnectionState(now: 0, timeouts: timeouts)
        switch phase {
        case .reading: break
        case .handling: state.requestDispatched(client: ClientPresence())
        case .closing: state.parseFailed(now: 0)
        }
        if peerClosed { state.peerClosedItsSide() }
        return state
    }

    func testANewConnectionReadsUnderTheHeadTimer() {
        let state = ConnectionState(now: 5, timeouts: timeouts)
        XCTAssertEqual(state.phase, .reading)
        XCTAssertEqual(state.deadline, 105)
        XCTAssertFalse(state.peerClosed)
        XCTAssertNil(state.client)
    }

    func testWhatFollowsWrittenOutputInEachPhase() {
        let table: [(ConnectionState.Phase, ConnectionState.NextStep)] = [
            (.reading, .parse), (.handling, .waitForHandler), (.closing, .close),
        ]
        for (phase, expected) in table {
            XCTAssertEqual(state(phase).afterOutputWritten(), expected, "\(phase)")
        }
    }

    func testNeedingMoreData() {
        let table: [(peerClosed: Bool, readable: Bool, expected: ConnectionState.NeedMoreData)] = [
            (false, true, .read), (false, false, .waitForReadable), (true, true, .close), (true, false, .close),
        ]
        for row in table {
            XCTAssertEqual(state(.reading, peerClosed: row.peerClosed).needMoreData(readable: row.readable), row.expected, "\(row)")
        }
    }

    func testDispatchingStopsTheTimerAndRespondingRestartsIt() {
        var state = state(.reading)
        let client = ClientPresence()
        state.requestDispatched(client: client)
        XCTAssertEqual(state.phase, .handling)
        XCTAssertEqual(state.deadline, 0)
        XCTAssertTrue(state.client === client)

        let table: [(close: Bool, buffered: Bool, phase: ConnectionState.Phase, deadline: UInt64)] = [
            (false, false, .reading, 1_010), (false, true, .reading, 110), (true, false, .closing, 1_010), (true, true, .closing, 110),
        ]
        for row in table {
            var answered = state
            answered.responded(now: 10, close: row.close, hasBufferedBytes: row.buffered)
            XCTAssertEqual(answered.phase, row.phase, "\(row)")
            XCTAssertEqual(answered.deadline, row.deadline, "\(row)")
            XCTAssertNil(answered.client, "\(row)")
        }
    }

    func testBytesRestartTheHeadTimerAtARequestsFirstByteAndDuringItsBody() {
        let table: [(wasMidRequest: Bool, readingBody: Bool, deadline: UInt64)] = [
            (false, false, 150), (false, true, 150), (true, true, 150), (true, false, 100),
        ]
        for row in table {
            var state = state(.reading)
            state.bytesRead(now: 50, wasMidRequest: row.wasMidRequest, readingBody: row.readingBody)
            XCTAssertEqual(state.deadline, row.deadline, "\(row)")
        }
    }

    func testAParseFailureClosesAfterTheProblemUnderTheIdleTimer() {
        var state = state(.reading)
        state.parseFailed(now: 20)
        XCTAssertEqual(state.phase, .closing)
        XCTAssertEqual(state.deadline, 1_020)
    }

    func testDraining() {
        let table: [(phase: ConnectionState.Phase, pending: Bool, midRequest: Bool, action: ConnectionState.DrainAction, after: ConnectionState.Phase)] = [
            (.handling, false, false, .closeAfterAnswer, .handling),
            (.handling, true, true, .closeAfterAnswer, .handling),
            (.reading, true, false, .closeAfterAnswer, .closing),
            (.reading, false, true, .letRequestFinish, .reading),
            (.reading, false, false, .closeNow, .reading),
        ]
        for row in table {
            var state = state(row.phase)
            XCTAssertEqual(state.drainBegan(hasPendingOutput: row.pending, midRequest: row.midRequest), row.action, "\(row)")
            XCTAssertEqual(state.phase, row.after, "\(row)")
        }
    }

    func testAHandledRequestAnsweredWhileDrainingCloses() {
        var state = state(.handling)
        XCTAssertEqual(state.drainBegan(hasPendingOutput: false, midRequest: false), .closeAfterAnswer)
        state.responded(now: 0, close: true, hasBufferedBytes: false)
        XCTAssertEqual(state.afterOutputWritten(), .close)
    }

    func testTheTimeoutSweep() {
        let table: [(phase: ConnectionState.Phase, now: UInt64, midRequest: Bool, pending: Bool, action: ConnectionState.SweepAction)] = [
            (.reading, 99, true, false, .none),
            (.reading, 100, true, false, .answerTimeout),
            (.reading, 100, false, false, .close),
            (.reading, 100, true, true, .close),
            (.closing, 1_000, true, false, .close),
            (.closing, 999, true, false, .none),
            (.handling, 1_000_000, true, false, .none),
        ]
        for row in table {
            XCTAssertEqual(state(row.phase).sweep(now: row.now, midRequest: row.midRequest, hasPendingOutput: row.pending), row.action, "\(row)")
        }
    }

    func testOnlyARequestStillArrivingIsOwedAShutdownAnswer() {
        let table: [(phase: ConnectionState.Phase, midRequest: Bool, pending: Bool, owed: Bool)] = [
            (.reading, true, false, true), (.reading, false, false, false), (.reading, true, true, false),
            (.handling, true, false, false), (.closing, true, false, true),
        ]
        for row in table {
            XCTAssertEqual(state(row.phase).owesShutdownAnswer(midRequest: row.midRequest, hasPendingOutput: row.pending), row.owed, "\(row)")
        }
    }
}
