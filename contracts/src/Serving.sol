// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {ISettlementVerifier} from "./ISettlementVerifier.sol";

/// @title Serving
/// @notice Service registry, prepaid customer accounts and zero-knowledge fee
/// settlement of the zg serving network (docs/contract.md is the reference).
/// @dev No owner, no proxy, no admin path: once deployed, the only ways ether
/// leaves the contract are settleFees (to the provider named by msg.sender, for
/// receipts the account's signer signed) and processRefund (to the user).
contract Serving {
    // ------------------------------------------------------------------ types

    /// @notice What a provider offers; serviceType: 0 chat, 1 model, 2 dataset.
    struct ServiceParams {
        string name;
        uint8 serviceType;
        string url;
        string model;
        string verifiability;
        uint256 inputPrice;
        uint256 outputPrice;
        string additionalProperties;
    }

    /// @notice A registered service as the views return it.
    struct Service {
        address provider;
        string name;
        uint8 serviceType;
        string url;
        string model;
        string verifiability;
        uint256 inputPrice;
        uint256 outputPrice;
        string additionalProperties;
        uint256 updatedAt;
    }

    /// @notice One refund request. amount shrinks when a settlement draws from it;
    /// processed is set when processRefund closes it (paying out amount).
    struct Refund {
        uint128 amount;
        uint64 createdAt;
        bool processed;
    }

    /// @notice An account as the views return it.
    struct AccountInfo {
        address user;
        address provider;
        uint256 balance;
        uint256 pendingRefund;
        uint64 nonce;
        uint256[2] signer;
        uint256 refundCount;
        uint256 refundHead;
        uint256 createdAt;
    }

    /// @notice One settlement: a proof that the account's signer signed receipts
    /// firstNonce..lastNonce (strictly increasing) of user with msg.sender as the
    /// provider, whose fees sum to total. slots selects the circuit (and verifier).
    struct SettlementProof {
        uint32 slots;
        address user;
        uint64 firstNonce;
        uint64 lastNonce;
        uint256 total;
        uint256[8] proof;
    }

    struct Account {
        uint256 balance; // everything the account holds, pending refunds included
        uint256 pendingRefund; // sum of unprocessed refunds' amounts (<= balance)
        uint256[2] signer; // Baby Jubjub public key (affine x, y)
        uint64 nonce; // last settled receipt nonce; survives deleteAccount
        uint64 createdAt;
        uint32 refundCount; // refunds[key][0 .. refundCount)
        uint32 refundHead; // refunds below refundHead are processed
        bool exists;
    }

    struct StoredService {
        address provider;
        uint8 serviceType;
        uint64 updatedAt;
        string name;
        string url;
        string model;
        string verifiability;
        uint256 inputPrice;
        uint256 outputPrice;
        string additionalProperties;
    }

    // -------------------------------------------------------------- constants

    /// @dev Baby Jubjub over the BN254 scalar field, twisted Edwards form
    /// a*x^2 + y^2 = 1 + d*x^2*y^2 (EIP-2494; circomlibjs babyjub.js).
    uint256 internal constant BJJ_P = 21888242871839275222246405745257275088548364400416034343698204186575808495617;
    uint256 internal constant BJJ_A = 168700;
    uint256 internal constant BJJ_D = 168696;

    uint256 public constant MAX_PENDING_REFUNDS = 16;
    uint256 public constant MAX_PAGE = 100;
    uint256 public constant MAX_NAME_LENGTH = 64;
    uint256 public constant MAX_URL_LENGTH = 512;
    uint256 public constant MAX_MODEL_LENGTH = 256;
    uint256 public constant MAX_VERIFIABILITY_LENGTH = 64;
    uint256 public constant MAX_PROPERTIES_LENGTH = 4096;
    uint8 public constant SERVICE_TYPE_MAX = 2;

    // ------------------------------------------------------------------ state

    /// @notice Seconds a refund waits before processRefund pays it out; providers
    /// settle receipts within this time.
    uint256 public immutable lockTime;

    uint32[] internal circuitSizes_;
    mapping(uint256 slots => ISettlementVerifier) internal verifiers_;

    mapping(bytes32 key => StoredService) internal services_;
    bytes32[] internal serviceKeys_;
    mapping(bytes32 key => uint256) internal serviceIndex_; // position + 1

    mapping(bytes32 key => Account) internal accounts_;
    mapping(bytes32 key => mapping(uint256 index => Refund)) internal refunds_;
    mapping(address user => address[]) internal providersOfUser_;
    mapping(address provider => address[]) internal usersOfProvider_;
    mapping(bytes32 key => uint256) internal userListIndex_; // position + 1
    mapping(bytes32 key => uint256) internal providerListIndex_; // position + 1

    uint256 private locked_ = 1;

    // ----------------------------------------------------------------- events

    event ServiceUpdated(address indexed provider, string name, ServiceParams service, uint256 updatedAt);
    event ServiceRemoved(address indexed provider, string name);
    event AccountCreated(
        address indexed user, address indexed provider, uint256 signerX, uint256 signerY, uint256 balance, uint64 nonce
    );
    event Deposited(address indexed user, address indexed provider, uint256 amount, uint256 balance);
    event RefundRequested(
        address indexed user, address indexed provider, uint256 index, uint256 amount, uint256 createdAt
    );
    event RefundProcessed(address indexed user, address indexed provider, uint256 index, uint256 amount);
    event RefundDrawn(address indexed user, address indexed provider, uint256 index, uint256 drawn, uint256 remaining);
    event AccountDeleted(address indexed user, address indexed provider, uint64 nonce);
    event FeesSettled(
        address indexed user,
        address indexed provider,
        uint64 firstNonce,
        uint64 lastNonce,
        uint256 total,
        uint256 balance,
        uint256 pendingRefund
    );

    // ----------------------------------------------------------------- errors

    error InvalidLockTime();
    error NoVerifiers();
    error LengthMismatch(uint256 sizes, uint256 verifiers);
    error InvalidCircuitSize(uint256 slots);
    error DuplicateCircuitSize(uint256 slots);
    error VerifierNotContract(uint256 slots, address verifier);
    error EmptyServiceName();
    error FieldTooLong(string field, uint256 length, uint256 max);
    error InvalidServiceType(uint8 serviceType);
    error ServiceNotFound(address provider, string name);
    error InvalidProvider();
    error AccountExists(address user, address provider);
    error AccountNotFound(address user, address provider);
    error InvalidSigner(uint256 x, uint256 y);
    error ZeroDeposit();
    error InvalidRefundAmount(uint256 amount, uint256 available);
    error TooManyPendingRefunds(uint256 max);
    error NoRefundDue(uint256 nextMaturity);
    error AccountNotEmpty(uint256 balance);
    error EmptySettlement();
    error UnknownCircuitSize(uint256 slots);
    error NonceNotAbove(address user, uint64 firstNonce, uint64 settledNonce);
    error BadNonceRange(uint64 firstNonce, uint64 lastNonce);
    error TotalTooLarge(uint256 total);
    error InsufficientBalance(address user, uint256 total, uint256 balance);
    error InvalidProof(uint256 slots);
    error TransferFailed(address to, uint256 amount);
    error Reentrancy();

    // ------------------------------------------------------------ constructor

    /// @param lockTime_ seconds before a refund matures (> 0)
    /// @param sizes circuit slot counts, one per verifier
    /// @param verifiers the ISettlementVerifier of each size (deployed contracts)
    constructor(uint256 lockTime_, uint32[] memory sizes, address[] memory verifiers) {
        if (lockTime_ == 0 || lockTime_ > type(uint64).max) revert InvalidLockTime();
        if (sizes.length == 0) revert NoVerifiers();
        if (sizes.length != verifiers.length) revert LengthMismatch(sizes.length, verifiers.length);
        lockTime = lockTime_;
        for (uint256 i; i < sizes.length; ++i) {
            uint32 s = sizes[i];
            if (s == 0) revert InvalidCircuitSize(s);
            if (address(verifiers_[s]) != address(0)) revert DuplicateCircuitSize(s);
            if (verifiers[i].code.length == 0) revert VerifierNotContract(s, verifiers[i]);
            verifiers_[s] = ISettlementVerifier(verifiers[i]);
            circuitSizes_.push(s);
        }
    }

    /// @dev Plain transfers are refused (no receive/fallback): ether enters only
    /// through addAccount and depositFund, so it is always credited to an account.

    modifier nonReentrant() {
        if (locked_ != 1) revert Reentrancy();
        locked_ = 2;
        _;
        locked_ = 1;
    }

    // ---------------------------------------------------------------- provider

    /// @notice Registers the service (msg.sender, p.name) or replaces its fields.
    function addOrUpdateService(ServiceParams calldata p) external {
        _checkService(p);
        bytes32 key = serviceKey(msg.sender, p.name);
        StoredService storage s = services_[key];
        if (serviceIndex_[key] == 0) {
            serviceKeys_.push(key);
            serviceIndex_[key] = serviceKeys_.length;
            s.provider = msg.sender;
            s.name = p.name;
        }
        s.serviceType = p.serviceType;
        s.updatedAt = uint64(block.timestamp);
        s.url = p.url;
        s.model = p.model;
        s.verifiability = p.verifiability;
        s.inputPrice = p.inputPrice;
        s.outputPrice = p.outputPrice;
        s.additionalProperties = p.additionalProperties;
        emit ServiceUpdated(msg.sender, p.name, p, block.timestamp);
    }

    /// @notice Removes the service (msg.sender, name).
    function removeService(string calldata name) external {
        bytes32 key = serviceKey(msg.sender, name);
        uint256 pos = serviceIndex_[key];
        if (pos == 0) revert ServiceNotFound(msg.sender, name);
        // Swap-remove keeps the list dense for pagination.
        bytes32 last = serviceKeys_[serviceKeys_.length - 1];
        serviceKeys_[pos - 1] = last;
        serviceIndex_[last] = pos;
        serviceKeys_.pop();
        delete serviceIndex_[key];
        delete services_[key];
        emit ServiceRemoved(msg.sender, name);
    }

    /// @notice Settles runs of signed receipts, one proof per run, and pays
    /// msg.sender the sum of their totals. Proofs of the same circuit size are
    /// verified with one verifyBatch call. All-or-nothing.
    function settleFees(SettlementProof[] calldata proofs) external nonReentrant {
        uint256 n = proofs.length;
        if (n == 0) revert EmptySettlement();
        uint256[] memory inputs = new uint256[](n * 5);
        uint256 paid;
        for (uint256 i; i < n; ++i) {
            paid += _settleOne(proofs[i], inputs, i);
        }
        _verifyAll(proofs, inputs);
        _pay(msg.sender, paid);
    }

    // -------------------------------------------------------------------- user

    /// @notice Opens the account (msg.sender, provider) with a Baby Jubjub signer
    /// key and msg.value as its first deposit. A re-opened account keeps the
    /// nonce it had when deleted, so old receipts can never be settled again.
    function addAccount(address provider, uint256[2] calldata signer) external payable {
        if (provider == address(0)) revert InvalidProvider();
        bytes32 key = accountKey(msg.sender, provider);
        Account storage a = accounts_[key];
        if (a.exists) revert AccountExists(msg.sender, provider);
        _checkSigner(signer[0], signer[1]);
        a.exists = true;
        a.balance = msg.value;
        a.signer[0] = signer[0];
        a.signer[1] = signer[1];
        a.createdAt = uint64(block.timestamp);
        providersOfUser_[msg.sender].push(provider);
        userListIndex_[key] = providersOfUser_[msg.sender].length;
        usersOfProvider_[provider].push(msg.sender);
        providerListIndex_[key] = usersOfProvider_[provider].length;
        emit AccountCreated(msg.sender, provider, signer[0], signer[1], msg.value, a.nonce);
    }

    /// @notice Adds msg.value to the account (msg.sender, provider).
    function depositFund(address provider) external payable {
        Account storage a = _account(msg.sender, provider);
        if (msg.value == 0) revert ZeroDeposit();
        uint256 balance = a.balance + msg.value;
        a.balance = balance;
        emit Deposited(msg.sender, provider, msg.value, balance);
    }

    /// @notice Asks for amount back; it matures lockTime seconds from now, and
    /// until then the provider may still draw on it for receipts signed before.
    function requestRefund(address provider, uint256 amount) external {
        Account storage a = _account(msg.sender, provider);
        uint256 available = a.balance - a.pendingRefund;
        if (amount == 0 || amount > available || amount > type(uint128).max) {
            revert InvalidRefundAmount(amount, available);
        }
        uint256 count = a.refundCount;
        if (count - a.refundHead >= MAX_PENDING_REFUNDS) revert TooManyPendingRefunds(MAX_PENDING_REFUNDS);
        bytes32 key = accountKey(msg.sender, provider);
        refunds_[key][count] = Refund(uint128(amount), uint64(block.timestamp), false);
        a.refundCount = uint32(count + 1);
        a.pendingRefund += amount;
        emit RefundRequested(msg.sender, provider, count, amount, block.timestamp);
    }

    /// @notice Pays out every refund of the account that has matured
    /// (block.timestamp >= createdAt + lockTime), oldest first.
    function processRefund(address provider) external nonReentrant {
        Account storage a = _account(msg.sender, provider);
        bytes32 key = accountKey(msg.sender, provider);
        uint256 head = a.refundHead;
        uint256 count = a.refundCount;
        uint256 i = head;
        uint256 amount;
        for (; i < count; ++i) {
            Refund storage r = refunds_[key][i];
            if (block.timestamp < uint256(r.createdAt) + lockTime) break;
            r.processed = true;
            amount += r.amount;
            emit RefundProcessed(msg.sender, provider, i, r.amount);
        }
        if (i == head) {
            revert NoRefundDue(head < count ? uint256(refunds_[key][head].createdAt) + lockTime : 0);
        }
        a.refundHead = uint32(i);
        a.pendingRefund -= amount;
        a.balance -= amount;
        _pay(msg.sender, amount);
    }

    /// @notice Closes an empty account (balance 0, so no pending refunds). The
    /// settled nonce is kept for a later addAccount with the same provider.
    function deleteAccount(address provider) external {
        Account storage a = _account(msg.sender, provider);
        if (a.balance != 0) revert AccountNotEmpty(a.balance);
        bytes32 key = accountKey(msg.sender, provider);
        uint64 nonce = a.nonce;
        _unlist(providersOfUser_[msg.sender], userListIndex_, key, msg.sender, true);
        _unlist(usersOfProvider_[provider], providerListIndex_, key, provider, false);
        delete accounts_[key];
        accounts_[key].nonce = nonce;
        emit AccountDeleted(msg.sender, provider, nonce);
    }

    // ------------------------------------------------------------------- views

    function serviceKey(address provider, string memory name) public pure returns (bytes32) {
        return keccak256(abi.encode(provider, name));
    }

    function accountKey(address user, address provider) public pure returns (bytes32) {
        return keccak256(abi.encode(user, provider));
    }

    function circuitSizes() external view returns (uint32[] memory) {
        return circuitSizes_;
    }

    function verifierOf(uint32 slots) external view returns (address) {
        return address(verifiers_[slots]);
    }

    function serviceCount() external view returns (uint256) {
        return serviceKeys_.length;
    }

    function serviceExists(address provider, string calldata name) external view returns (bool) {
        return serviceIndex_[serviceKey(provider, name)] != 0;
    }

    function getService(address provider, string calldata name) external view returns (Service memory) {
        bytes32 key = serviceKey(provider, name);
        if (serviceIndex_[key] == 0) revert ServiceNotFound(provider, name);
        return _service(key);
    }

    /// @notice Services [offset, offset + limit) in registry order (limit capped
    /// at MAX_PAGE), and the total count. The order changes on removal.
    function getServices(uint256 offset, uint256 limit) external view returns (Service[] memory page, uint256 total) {
        total = serviceKeys_.length;
        uint256 n = _pageLength(total, offset, limit);
        page = new Service[](n);
        for (uint256 i; i < n; ++i) {
            page[i] = _service(serviceKeys_[offset + i]);
        }
    }

    function accountExists(address user, address provider) external view returns (bool) {
        return accounts_[accountKey(user, provider)].exists;
    }

    function getAccount(address user, address provider) external view returns (AccountInfo memory) {
        if (!accounts_[accountKey(user, provider)].exists) revert AccountNotFound(user, provider);
        return _accountInfo(user, provider);
    }

    /// @notice The settled nonce of (user, provider), also after deleteAccount.
    function settledNonce(address user, address provider) external view returns (uint64) {
        return accounts_[accountKey(user, provider)].nonce;
    }

    function getAccountsOfUser(address user, uint256 offset, uint256 limit)
        external
        view
        returns (AccountInfo[] memory page, uint256 total)
    {
        address[] storage list = providersOfUser_[user];
        total = list.length;
        uint256 n = _pageLength(total, offset, limit);
        page = new AccountInfo[](n);
        for (uint256 i; i < n; ++i) {
            page[i] = _accountInfo(user, list[offset + i]);
        }
    }

    function getAccountsOfProvider(address provider, uint256 offset, uint256 limit)
        external
        view
        returns (AccountInfo[] memory page, uint256 total)
    {
        address[] storage list = usersOfProvider_[provider];
        total = list.length;
        uint256 n = _pageLength(total, offset, limit);
        page = new AccountInfo[](n);
        for (uint256 i; i < n; ++i) {
            page[i] = _accountInfo(list[offset + i], provider);
        }
    }

    /// @notice Refunds [offset, offset + limit) of the account, oldest first.
    function getRefunds(address user, address provider, uint256 offset, uint256 limit)
        external
        view
        returns (Refund[] memory page, uint256 total)
    {
        bytes32 key = accountKey(user, provider);
        Account storage a = accounts_[key];
        if (!a.exists) revert AccountNotFound(user, provider);
        total = a.refundCount;
        uint256 n = _pageLength(total, offset, limit);
        page = new Refund[](n);
        for (uint256 i; i < n; ++i) {
            page[i] = refunds_[key][offset + i];
        }
    }

    // ---------------------------------------------------------------- internal

    function _account(address user, address provider) internal view returns (Account storage a) {
        a = accounts_[accountKey(user, provider)];
        if (!a.exists) revert AccountNotFound(user, provider);
    }

    function _checkService(ServiceParams calldata p) internal pure {
        uint256 len = bytes(p.name).length;
        if (len == 0) revert EmptyServiceName();
        if (len > MAX_NAME_LENGTH) revert FieldTooLong("name", len, MAX_NAME_LENGTH);
        if (p.serviceType > SERVICE_TYPE_MAX) revert InvalidServiceType(p.serviceType);
        _checkLength("url", bytes(p.url).length, MAX_URL_LENGTH);
        _checkLength("model", bytes(p.model).length, MAX_MODEL_LENGTH);
        _checkLength("verifiability", bytes(p.verifiability).length, MAX_VERIFIABILITY_LENGTH);
        _checkLength("additionalProperties", bytes(p.additionalProperties).length, MAX_PROPERTIES_LENGTH);
    }

    function _checkLength(string memory field, uint256 len, uint256 max) internal pure {
        if (len > max) revert FieldTooLong(field, len, max);
    }

    /// @dev Accepts affine points of Baby Jubjub that are not of small order.
    /// A small-order key (8*A = identity) would let anyone forge signatures,
    /// because the circuit's EdDSA check multiplies A by the cofactor 8.
    function _checkSigner(uint256 x, uint256 y) internal pure {
        if (x >= BJJ_P || y >= BJJ_P) revert InvalidSigner(x, y);
        uint256 xx = mulmod(x, x, BJJ_P);
        uint256 yy = mulmod(y, y, BJJ_P);
        uint256 lhs = addmod(mulmod(BJJ_A, xx, BJJ_P), yy, BJJ_P);
        uint256 rhs = addmod(1, mulmod(BJJ_D, mulmod(xx, yy, BJJ_P), BJJ_P), BJJ_P);
        if (lhs != rhs) revert InvalidSigner(x, y);
        // Three projective doublings (EFD dbl-2008-bbjlp, complete on this curve);
        // 8*A has x = 0 exactly when 8*A is the identity (no points of order 16).
        uint256 px = x;
        uint256 py = y;
        uint256 pz = 1;
        for (uint256 i; i < 3; ++i) {
            (px, py, pz) = _double(px, py, pz);
        }
        if (px == 0) revert InvalidSigner(x, y);
    }

    function _double(uint256 x, uint256 y, uint256 z) internal pure returns (uint256, uint256, uint256) {
        uint256 p = BJJ_P;
        uint256 s = addmod(x, y, p);
        uint256 b = mulmod(s, s, p);
        uint256 c = mulmod(x, x, p);
        uint256 d = mulmod(y, y, p);
        uint256 e = mulmod(BJJ_A, c, p);
        uint256 f = addmod(e, d, p);
        uint256 h = mulmod(z, z, p);
        uint256 j = addmod(f, p - addmod(h, h, p), p);
        uint256 bcd = addmod(b, p - addmod(c, d, p), p);
        return (mulmod(bcd, j, p), mulmod(f, addmod(e, p - d, p), p), mulmod(f, j, p));
    }

    /// @dev Checks and applies one proof's effects; writes its 5 public inputs
    /// (built here from msg.sender and the stored signer, never taken from the
    /// caller) into inputs[5i .. 5i+5); returns the amount owed to msg.sender.
    function _settleOne(SettlementProof calldata p, uint256[] memory inputs, uint256 i) internal returns (uint256) {
        if (address(verifiers_[p.slots]) == address(0)) revert UnknownCircuitSize(p.slots);
        address user = p.user;
        bytes32 key = accountKey(user, msg.sender);
        Account storage a = accounts_[key];
        if (!a.exists) revert AccountNotFound(user, msg.sender);
        uint64 first = p.firstNonce;
        uint64 last = p.lastNonce;
        if (first <= a.nonce) revert NonceNotAbove(user, first, a.nonce);
        if (last < first) revert BadNonceRange(first, last);
        uint256 total = p.total;
        if (total > type(uint128).max) revert TotalTooLarge(total);
        uint256 balance = a.balance;
        if (total > balance) revert InsufficientBalance(user, total, balance);
        uint256 pending = a.pendingRefund;
        uint256 free = balance - pending;
        if (total > free) {
            uint256 drawn = _drawFromRefunds(key, a, user, total - free);
            // Matured refunds are the user's: only unmatured ones can be drawn.
            if (drawn < total - free) revert InsufficientBalance(user, total, free + drawn);
            pending -= drawn;
            a.pendingRefund = pending;
        }
        balance -= total;
        a.balance = balance;
        a.nonce = last;
        uint256 o = i * 5;
        inputs[o] = uint256(uint160(user)) | (uint256(first) << 160);
        inputs[o + 1] = uint256(uint160(msg.sender)) | (uint256(last) << 160);
        inputs[o + 2] = total;
        inputs[o + 3] = a.signer[0];
        inputs[o + 4] = a.signer[1];
        emit FeesSettled(user, msg.sender, first, last, total, balance, pending);
        return total;
    }

    /// @dev Takes up to need wei from the pending refunds that have not matured,
    /// newest first, so receipts signed before a refund request stay payable
    /// until it matures (and not after). Returns what it took.
    function _drawFromRefunds(bytes32 key, Account storage a, address user, uint256 need)
        internal
        returns (uint256 drawn)
    {
        uint256 head = a.refundHead;
        for (uint256 i = a.refundCount; i > head && drawn < need;) {
            --i;
            Refund storage r = refunds_[key][i];
            // Refunds are in time order: once one has matured, all older ones have.
            if (block.timestamp >= uint256(r.createdAt) + lockTime) break;
            uint256 amt = r.amount;
            if (amt == 0) continue;
            uint256 take = need - drawn;
            if (take > amt) take = amt;
            r.amount = uint128(amt - take);
            drawn += take;
            emit RefundDrawn(user, msg.sender, i, take, amt - take);
        }
    }

    /// @dev One verifyBatch call per circuit size present in the batch.
    function _verifyAll(SettlementProof[] calldata proofs, uint256[] memory inputs) internal view {
        uint256 n = proofs.length;
        uint256 sizes = circuitSizes_.length;
        for (uint256 s; s < sizes; ++s) {
            uint32 slots = circuitSizes_[s];
            uint256 k;
            for (uint256 i; i < n; ++i) {
                if (proofs[i].slots == slots) ++k;
            }
            if (k == 0) continue;
            uint256[] memory ps = new uint256[](k * 8);
            uint256[] memory ins = new uint256[](k * 5);
            uint256 j;
            for (uint256 i; i < n; ++i) {
                if (proofs[i].slots != slots) continue;
                for (uint256 w; w < 8; ++w) {
                    ps[j * 8 + w] = proofs[i].proof[w];
                }
                for (uint256 w; w < 5; ++w) {
                    ins[j * 5 + w] = inputs[i * 5 + w];
                }
                ++j;
            }
            if (!verifiers_[slots].verifyBatch(ps, ins)) revert InvalidProof(slots);
        }
    }

    function _pay(address to, uint256 amount) internal {
        if (amount == 0) return;
        (bool ok,) = payable(to).call{value: amount}("");
        if (!ok) revert TransferFailed(to, amount);
    }

    /// @dev Swap-removes the entry of `key` from one of the two account lists.
    /// owner is the list's owner (the user for providersOfUser_, else the provider).
    function _unlist(
        address[] storage list,
        mapping(bytes32 => uint256) storage index,
        bytes32 key,
        address owner,
        bool ownerIsUser
    ) internal {
        uint256 pos = index[key];
        uint256 len = list.length;
        if (pos != len) {
            address last = list[len - 1];
            list[pos - 1] = last;
            index[ownerIsUser ? accountKey(owner, last) : accountKey(last, owner)] = pos;
        }
        list.pop();
        delete index[key];
    }

    function _pageLength(uint256 total, uint256 offset, uint256 limit) internal pure returns (uint256) {
        if (offset >= total) return 0;
        uint256 n = total - offset;
        if (limit > MAX_PAGE) limit = MAX_PAGE;
        return n < limit ? n : limit;
    }

    function _service(bytes32 key) internal view returns (Service memory v) {
        StoredService storage s = services_[key];
        v.provider = s.provider;
        v.name = s.name;
        v.serviceType = s.serviceType;
        v.url = s.url;
        v.model = s.model;
        v.verifiability = s.verifiability;
        v.inputPrice = s.inputPrice;
        v.outputPrice = s.outputPrice;
        v.additionalProperties = s.additionalProperties;
        v.updatedAt = s.updatedAt;
    }

    function _accountInfo(address user, address provider) internal view returns (AccountInfo memory v) {
        Account storage a = accounts_[accountKey(user, provider)];
        v.user = user;
        v.provider = provider;
        v.balance = a.balance;
        v.pendingRefund = a.pendingRefund;
        v.nonce = a.nonce;
        v.signer = a.signer;
        v.refundCount = a.refundCount;
        v.refundHead = a.refundHead;
        v.createdAt = a.createdAt;
    }
}
