package driver

// The parts of Terraform core a resource lifecycle needs: state stored as the
// state file stores it (JSON attributes + schema version + private),
// UpgradeResourceState on every load, refresh, plan (proposed new state,
// requires_replace, replace re-plan), apply (final re-plan, consistency),
// import, with Terraform's checks at every step. Each phase runs in a fresh
// provider process, as Terraform runs it.

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"hwims/conformance/tfplugin6"
)

// Parallelism is Terraform's default (-parallelism=10).
const Parallelism = 10

// InstanceState is one instance in the state file.
type InstanceState struct {
	Type          string
	SchemaVersion int64
	JSON          []byte // the attributes object, as terraform stores it
	Private       []byte
	Tainted       bool
}

// State is the state file: address → instance.
type State struct {
	mu        sync.Mutex
	Instances map[string]*InstanceState
}

// NewState returns an empty state.
func NewState() *State { return &State{Instances: map[string]*InstanceState{}} }

// Get returns an instance (nil if absent).
func (st *State) Get(addr string) *InstanceState {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.Instances[addr]
}

func (st *State) set(addr string, is *InstanceState) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if is == nil {
		delete(st.Instances, addr)
	} else {
		st.Instances[addr] = is
	}
}

// Addrs lists the addresses in the state, sorted.
func (st *State) Addrs() []string {
	st.mu.Lock()
	defer st.mu.Unlock()
	var out []string
	for a := range st.Instances {
		out = append(out, a)
	}
	sort.Strings(out)
	return out
}

// Value decodes an instance's stored attributes (without upgrading).
func (st *State) Value(addr string, s *Schema) (cty.Value, error) {
	is := st.Get(addr)
	if is == nil {
		return cty.NullVal(s.Block.ImpliedType()), nil
	}
	return DecodeValue(&tfplugin6.DynamicValue{Json: is.JSON}, s.Block.ImpliedType())
}

// Action is a planned action.
type Action string

const (
	NoOp    Action = "no-op"
	Create  Action = "create"
	Update  Action = "update"
	Replace Action = "replace" // delete then create
	Delete  Action = "delete"
)

// Change is the plan for one instance.
type Change struct {
	Addr            string
	Type            string
	Action          Action
	Prior           cty.Value // refreshed prior (null for create)
	PriorPrivate    []byte
	Config          cty.Value // null for delete
	Planned         cty.Value // for replace: the create half's planned value
	PlannedPrivate  []byte
	RequiresReplace []Path
	Tainted         bool
}

// Result of a phase: the provider's diagnostics per address and every
// Terraform check the provider failed ("Provider produced invalid plan",
// "inconsistent result after apply", ...).
type Result struct {
	mu         sync.Mutex
	Diags      map[string]Diagnostics
	Violations []error
	secrets    []string
}

func newResult(env Env) *Result {
	return &Result{Diags: map[string]Diagnostics{}, secrets: env.Secrets}
}

func (r *Result) addDiags(addr string, d Diagnostics) {
	if len(d) == 0 {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.Diags[addr] = append(r.Diags[addr], d...)
	for _, e := range d.CheckWellFormed() {
		r.Violations = append(r.Violations, fmt.Errorf("%s: %v", addr, e))
	}
	for _, e := range CheckNoSecrets("diagnostics", d.String(), r.secrets...) {
		r.Violations = append(r.Violations, fmt.Errorf("%s: %v", addr, e))
	}
}

func (r *Result) violate(addr, summary string, errs ...error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, e := range errs {
		r.Violations = append(r.Violations, fmt.Errorf("%s: %s: %v", addr, summary, e))
	}
}

// HasErrors reports whether any address got an error diagnostic.
func (r *Result) HasErrors() bool {
	for _, d := range r.Diags {
		if d.HasErrors() {
			return true
		}
	}
	return false
}

// Err summarises violations and error diagnostics (nil if there are none).
func (r *Result) Err() error {
	var parts []string
	for _, v := range r.Violations {
		parts = append(parts, "VIOLATION "+v.Error())
	}
	addrs := make([]string, 0, len(r.Diags))
	for a := range r.Diags {
		addrs = append(addrs, a)
	}
	sort.Strings(addrs)
	for _, a := range addrs {
		if e := r.Diags[a].Err(); e != nil {
			parts = append(parts, a+": "+e.Error())
		}
	}
	if len(parts) == 0 {
		return nil
	}
	return fmt.Errorf("%s", strings.Join(parts, "\n"))
}

// ViolationErr returns the Terraform-check violations only.
func (r *Result) ViolationErr() error {
	if len(r.Violations) == 0 {
		return nil
	}
	var parts []string
	for _, v := range r.Violations {
		parts = append(parts, v.Error())
	}
	return fmt.Errorf("%s", strings.Join(parts, "\n"))
}

// Plan is a whole plan.
type Plan struct {
	Changes map[string]*Change
	Result  *Result
}

// Actions maps address → action (no-ops included).
func (p *Plan) Actions() map[string]Action {
	out := map[string]Action{}
	for a, c := range p.Changes {
		out[a] = c.Action
	}
	return out
}

// Empty reports whether every change is a no-op.
func (p *Plan) Empty() bool {
	for _, c := range p.Changes {
		if c.Action != NoOp {
			return false
		}
	}
	return true
}

func ctxRPC() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), RPCTimeout)
}

// upgrade is UpgradeResourceState, called on every state load.
func (s *Session) upgrade(addr string, is *InstanceState, res *Result) (cty.Value, bool) {
	rs := s.Schema.Resources[is.Type]
	ty := rs.Block.ImpliedType()
	if is.SchemaVersion > rs.Version {
		res.violate(addr, "Resource instance managed by newer provider version", fmt.Errorf("state version %d > schema version %d", is.SchemaVersion, rs.Version))
		return cty.NilVal, false
	}
	raw := is.JSON
	if is.SchemaVersion == rs.Version {
		// stripRemovedStateAttributes: with an unchanged schema version,
		// Terraform drops top-level attributes the schema no longer has.
		raw = stripRemovedAttributes(raw, rs.Block)
	}
	ctx, cancel := ctxRPC()
	defer cancel()
	resp, err := s.P.RPC.UpgradeResourceState(ctx, &tfplugin6.UpgradeResourceState_Request{
		TypeName: is.Type,
		Version:  is.SchemaVersion,
		RawState: &tfplugin6.RawState{Json: raw},
	})
	if err != nil {
		res.violate(addr, "UpgradeResourceState failed", s.rpcErr(err))
		return cty.NilVal, false
	}
	d := ConvertDiagnostics(resp.Diagnostics)
	res.addDiags(addr, d)
	if d.HasErrors() {
		return cty.NilVal, false
	}
	v, err := DecodeValue(resp.UpgradedState, ty)
	if err != nil {
		res.violate(addr, "Invalid resource state upgrade", err)
		return cty.NilVal, false
	}
	if v.IsNull() {
		// Terraform carries a null object without complaint: the instance
		// silently vanishes. Always a provider bug.
		res.violate(addr, "UpgradeResourceState returned no upgraded_state", fmt.Errorf("the instance would be lost"))
		return cty.NilVal, false
	}
	if !v.IsWhollyKnown() {
		res.violate(addr, "Invalid resource state upgrade", fmt.Errorf("upgraded state contains unknown values"))
		return cty.NilVal, false
	}
	return v, true
}

// read is ReadResource (refresh). It returns the new value (null: gone) and
// the new private.
func (s *Session) read(addr, typ string, cur cty.Value, private []byte, res *Result) (cty.Value, []byte, bool) {
	ty := s.Schema.Resources[typ].Block.ImpliedType()
	dv, err := EncodeValue(cur, ty)
	if err != nil {
		res.violate(addr, "encoding state", err)
		return cty.NilVal, nil, false
	}
	ctx, cancel := ctxRPC()
	defer cancel()
	resp, err := s.P.RPC.ReadResource(ctx, &tfplugin6.ReadResource_Request{TypeName: typ, CurrentState: dv, Private: private})
	if err != nil {
		res.violate(addr, "ReadResource failed", s.rpcErr(err))
		return cty.NilVal, nil, false
	}
	d := ConvertDiagnostics(resp.Diagnostics)
	res.addDiags(addr, d)
	if resp.Deferred != nil {
		res.violate(addr, "Provider deferred ReadResource without being allowed to", fmt.Errorf("deferred = %v", resp.Deferred))
	}
	if d.HasErrors() {
		return cty.NilVal, nil, false
	}
	v, err := DecodeValue(resp.NewState, ty)
	if err != nil {
		res.violate(addr, "Provider produced invalid object", err)
		return cty.NilVal, nil, false
	}
	if !v.IsWhollyKnown() {
		res.violate(addr, "Provider produced invalid object", fmt.Errorf("ReadResource returned unknown values"))
		return cty.NilVal, nil, false
	}
	return v, resp.Private, true
}

// loadRefreshed upgrades and refreshes every instance in the state; it
// returns the refreshed values and privates (deleted instances dropped).
func (s *Session) loadRefreshed(st *State, refresh bool, res *Result) (map[string]cty.Value, map[string][]byte, bool) {
	vals := map[string]cty.Value{}
	privs := map[string][]byte{}
	ok := true
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, Parallelism)
	for _, addr := range st.Addrs() {
		is := st.Get(addr)
		wg.Add(1)
		go func(addr string, is *InstanceState) {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			v, good := s.upgrade(addr, is, res)
			priv := is.Private
			if good && refresh {
				v, priv, good = s.read(addr, is.Type, v, is.Private, res)
			}
			mu.Lock()
			defer mu.Unlock()
			if !good {
				ok = false
				return
			}
			if !v.IsNull() {
				vals[addr] = v
				privs[addr] = priv
			}
		}(addr, is)
	}
	wg.Wait()
	return vals, privs, ok
}

// Refresh is `terraform apply -refresh-only`: upgrade, read, store.
func Refresh(env Env, cfg *Config, st *State) *Result {
	res := newResult(env)
	s, err := OpenSession(env, cfg, true)
	if err != nil {
		res.violate("provider", "session", err)
		return res
	}
	defer func() {
		if err := s.Close(); err != nil {
			res.violate("provider", "shutdown", err)
		}
	}()
	vals, privs, ok := s.loadRefreshed(st, true, res)
	if !ok {
		return res
	}
	for _, addr := range st.Addrs() {
		is := st.Get(addr)
		v, present := vals[addr]
		if !present {
			st.set(addr, nil)
			continue
		}
		s.store(st, addr, is.Type, v, privs[addr], is.Tainted, res)
	}
	return res
}

func (s *Session) store(st *State, addr, typ string, v cty.Value, private []byte, tainted bool, res *Result) {
	rs := s.Schema.Resources[typ]
	js, err := StateJSON(v, rs.Block.ImpliedType())
	if err != nil {
		res.violate(addr, "storing state", err)
		return
	}
	// The state file is stored in clear: neither attributes nor private
	// may carry a secret.
	res.violate(addr, "secret in state", CheckNoSecrets("state", string(js)+string(private), s.secrets...)...)
	st.set(addr, &InstanceState{Type: typ, SchemaVersion: rs.Version, JSON: js, Private: private, Tainted: tainted})
}

// PlanOptions tune MakePlan.
type PlanOptions struct {
	NoRefresh bool
	Destroy   bool // `terraform destroy`: every instance in state is deleted
}

// MakePlan is `terraform plan`: refresh the state, then plan every
// configured instance and every orphan. The refreshed state is not saved
// (as with a plan), but returned in the changes' Prior values.
func MakePlan(env Env, cfg *Config, st *State, opt PlanOptions) (*Plan, error) {
	res := newResult(env)
	plan := &Plan{Changes: map[string]*Change{}, Result: res}
	s, err := OpenSession(env, cfg, true)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err := s.Close(); err != nil {
			res.violate("provider", "shutdown", err)
		}
	}()
	insts, hd := cfg.Instances(s.Schema.Resources)
	if hd.HasErrors() {
		return nil, fmt.Errorf("configuration: %s", hd.Error())
	}
	if opt.Destroy {
		insts = nil
	}
	vals, privs, ok := s.loadRefreshed(st, !opt.NoRefresh, res)
	if !ok {
		return plan, nil
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, Parallelism)
	seen := map[string]bool{}
	for _, in := range insts {
		seen[in.Addr] = true
		wg.Add(1)
		go func(in Instance) {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			ty := s.Schema.Resources[in.Type].Block.ImpliedType()
			prior, had := vals[in.Addr]
			if !had {
				prior = cty.NullVal(ty)
			}
			tainted := false
			if is := st.Get(in.Addr); is != nil && had {
				tainted = is.Tainted
			}
			ch := s.planInstance(in.Addr, in.Type, prior, privs[in.Addr], in.Config, tainted, res)
			if ch != nil {
				mu.Lock()
				plan.Changes[in.Addr] = ch
				mu.Unlock()
			}
		}(in)
	}
	wg.Wait()
	for addr, v := range vals {
		if seen[addr] {
			continue
		}
		is := st.Get(addr)
		ch := s.planDestroy(addr, is.Type, v, privs[addr], res)
		if ch != nil {
			plan.Changes[addr] = ch
		}
	}
	return plan, nil
}

// planResourceChange is one PlanResourceChange call with the plan checks.
func (s *Session) planResourceChange(addr, typ string, prior cty.Value, priorPrivate []byte, config cty.Value, res *Result) (cty.Value, []byte, []Path, bool) {
	rs := s.Schema.Resources[typ]
	ty := rs.Block.ImpliedType()
	proposed := ProposedNew(rs.Block, prior, config)
	enc := func(v cty.Value) *tfplugin6.DynamicValue {
		dv, err := EncodeValue(v, ty)
		if err != nil {
			res.violate(addr, "encoding", err)
		}
		return dv
	}
	ctx, cancel := ctxRPC()
	defer cancel()
	resp, err := s.P.RPC.PlanResourceChange(ctx, &tfplugin6.PlanResourceChange_Request{
		TypeName:         typ,
		PriorState:       enc(prior),
		ProposedNewState: enc(proposed),
		Config:           enc(config),
		PriorPrivate:     priorPrivate,
	})
	if err != nil {
		res.violate(addr, "PlanResourceChange failed", s.rpcErr(err))
		return cty.NilVal, nil, nil, false
	}
	d := ConvertDiagnostics(resp.Diagnostics)
	res.addDiags(addr, d)
	if d.HasErrors() {
		return cty.NilVal, nil, nil, false
	}
	if resp.LegacyTypeSystem {
		res.violate(addr, "Provider produced invalid plan", fmt.Errorf("legacy_type_system is set; only the Go SDKv2 may set it"))
	}
	if resp.Deferred != nil {
		res.violate(addr, "Provider deferred a change without being allowed to", fmt.Errorf("deferred = %v", resp.Deferred))
	}
	planned, err := DecodeValue(resp.PlannedState, ty)
	if err != nil {
		res.violate(addr, "Provider produced invalid plan", err)
		return cty.NilVal, nil, nil, false
	}
	if errs := AssertPlanValid(rs.Block, prior, config, planned); len(errs) > 0 {
		res.violate(addr, "Provider produced invalid plan", errs...)
		return cty.NilVal, nil, nil, false
	}
	var rr []Path
	for _, ap := range resp.RequiresReplace {
		rr = append(rr, ConvertPath(ap))
	}
	return planned, resp.PlannedPrivate, rr, true
}

func (s *Session) planInstance(addr, typ string, prior cty.Value, priorPrivate []byte, config cty.Value, tainted bool, res *Result) *Change {
	rs := s.Schema.Resources[typ]
	d, err := s.ValidateResourceConfig(typ, config)
	if err != nil {
		res.violate(addr, "ValidateResourceConfig", err)
		return nil
	}
	res.addDiags(addr, d)
	if d.HasErrors() {
		return nil
	}
	planned, plannedPrivate, rr, ok := s.planResourceChange(addr, typ, prior, priorPrivate, config, res)
	if !ok {
		return nil
	}
	ch := &Change{Addr: addr, Type: typ, Prior: prior, PriorPrivate: priorPrivate, Config: config,
		Planned: planned, PlannedPrivate: plannedPrivate, Tainted: tainted}
	// requires_replace: only paths whose value differs count; a path in
	// neither value is a provider bug; ignored on create.
	var replacePaths []Path
	if !prior.IsNull() {
		for _, p := range rr {
			cp := ToCtyPath(p)
			pv, perr := cp.Apply(prior)
			nv, nerr := cp.Apply(planned)
			if perr != nil && nerr != nil {
				res.violate(addr, "Provider produced invalid plan", fmt.Errorf("requires replacement on non-existent attribute path %s", p))
				continue
			}
			if perr != nil {
				pv = cty.NullVal(nv.Type())
			}
			if nerr != nil {
				nv = cty.NullVal(pv.Type())
			}
			eq := nv.Equals(pv)
			if !eq.IsKnown() || eq.False() {
				replacePaths = append(replacePaths, p)
			}
		}
	}
	ch.RequiresReplace = replacePaths
	eq := planned.Equals(prior)
	switch {
	case prior.IsNull():
		ch.Action = Create
	case eq.IsKnown() && eq.True() && !tainted:
		ch.Action = NoOp
	case tainted || len(replacePaths) > 0:
		ch.Action = Replace
	default:
		ch.Action = Update
	}
	if ch.Action == Replace {
		// Plan the create half again from a null prior, passing the first
		// plan's private as prior private.
		null := cty.NullVal(rs.Block.ImpliedType())
		p2, priv2, _, ok := s.planResourceChange(addr, typ, null, plannedPrivate, config, res)
		if !ok {
			return nil
		}
		ch.Planned = p2
		ch.PlannedPrivate = priv2
	}
	return ch
}

func (s *Session) planDestroy(addr, typ string, prior cty.Value, priorPrivate []byte, res *Result) *Change {
	rs := s.Schema.Resources[typ]
	ty := rs.Block.ImpliedType()
	ch := &Change{Addr: addr, Type: typ, Action: Delete, Prior: prior, PriorPrivate: priorPrivate,
		Config: cty.NullVal(ty), Planned: cty.NullVal(ty), PlannedPrivate: priorPrivate}
	if !s.Schema.PlanDestroy {
		return ch
	}
	planned, priv, _, ok := s.planResourceChange(addr, typ, prior, priorPrivate, cty.NullVal(ty), res)
	if !ok {
		return nil
	}
	if !planned.IsNull() {
		res.violate(addr, "Provider produced invalid plan", fmt.Errorf("destroy planned a non-null state"))
	}
	ch.PlannedPrivate = priv
	return ch
}

// ApplyOptions tune Apply.
type ApplyOptions struct {
	// OnSession is called (in its own goroutine) once the apply process is
	// configured, e.g. to send StopProvider while an apply waits.
	OnSession func(*Session)
}

// Apply is `terraform apply` of a plan: a fresh process, state reloaded
// (upgraded), a final re-plan of each change checked against the plan,
// ApplyResourceChange, then the result checks; the state is updated.
func Apply(env Env, cfg *Config, st *State, plan *Plan, opt ApplyOptions) *Result {
	res := newResult(env)
	s, err := OpenSession(env, cfg, true)
	if err != nil {
		res.violate("provider", "session", err)
		return res
	}
	defer func() {
		if err := s.Close(); err != nil {
			res.violate("provider", "shutdown", err)
		}
	}()
	if opt.OnSession != nil {
		go opt.OnSession(s)
	}
	// Terraform evaluates the configuration again during apply, now with
	// the values that were unknown at plan time.
	current := map[string]cty.Value{}
	if cfg != nil {
		insts, hd := cfg.Instances(s.Schema.Resources)
		if hd.HasErrors() {
			res.violate("configuration", "decoding", hd)
			return res
		}
		for _, in := range insts {
			current[in.Addr] = in.Config
		}
	}
	var wg sync.WaitGroup
	sem := make(chan struct{}, Parallelism)
	for _, ch := range plan.Changes {
		if ch.Action == NoOp {
			continue
		}
		if v, ok := current[ch.Addr]; ok && ch.Action != Delete {
			c := *ch
			c.Config = v
			ch = &c
		}
		wg.Add(1)
		go func(ch *Change) {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			s.applyChange(st, ch, res)
		}(ch)
	}
	wg.Wait()
	return res
}

func (s *Session) applyChange(st *State, ch *Change, res *Result) {
	rs := s.Schema.Resources[ch.Type]
	ty := rs.Block.ImpliedType()
	// Reload the prior from state (UpgradeResourceState on every load).
	prior := cty.NullVal(ty)
	priorPrivate := ch.PriorPrivate
	if is := st.Get(ch.Addr); is != nil && !ch.Prior.IsNull() {
		v, ok := s.upgrade(ch.Addr, is, res)
		if !ok {
			return
		}
		_ = v
		// Terraform applies against the plan's prior (the refreshed value).
		prior = ch.Prior
	}
	if ch.Action == Delete || ch.Action == Replace {
		if !s.applyDelete(st, ch, prior, priorPrivate, res) {
			return
		}
		if ch.Action == Delete {
			return
		}
		prior = cty.NullVal(ty)
		priorPrivate = nil
	}
	// Final plan with the (now wholly known) config; it must agree with
	// the plan that was shown.
	d, err := s.ValidateResourceConfig(ch.Type, ch.Config)
	if err != nil {
		res.violate(ch.Addr, "ValidateResourceConfig", err)
		return
	}
	res.addDiags(ch.Addr, d)
	if d.HasErrors() {
		return
	}
	// After the delete half of a replace the state is empty: the create
	// half is re-planned from a null prior with no private, as Terraform does.
	final, finalPriv, _, ok := s.planResourceChange(ch.Addr, ch.Type, prior, priorPrivate, ch.Config, res)
	if !ok {
		return
	}
	if errs := AssertObjectCompatible(rs.Block, ch.Planned, final); len(errs) > 0 {
		res.violate(ch.Addr, "Provider produced inconsistent final plan", errs...)
		return
	}
	enc := func(v cty.Value) *tfplugin6.DynamicValue {
		dv, err := EncodeValue(v, ty)
		if err != nil {
			res.violate(ch.Addr, "encoding", err)
		}
		return dv
	}
	ctx, cancel := ctxRPC()
	defer cancel()
	resp, err := s.P.RPC.ApplyResourceChange(ctx, &tfplugin6.ApplyResourceChange_Request{
		TypeName:       ch.Type,
		PriorState:     enc(prior),
		PlannedState:   enc(final),
		Config:         enc(ch.Config),
		PlannedPrivate: finalPriv,
	})
	if err != nil {
		res.violate(ch.Addr, "ApplyResourceChange failed", s.rpcErr(err))
		return
	}
	ad := ConvertDiagnostics(resp.Diagnostics)
	res.addDiags(ch.Addr, ad)
	if resp.LegacyTypeSystem {
		res.violate(ch.Addr, "Provider produced invalid object", fmt.Errorf("legacy_type_system is set"))
	}
	newVal, err := DecodeValue(resp.NewState, ty)
	if err != nil {
		res.violate(ch.Addr, "Provider produced invalid object", err)
		return
	}
	if !newVal.IsWhollyKnown() {
		res.violate(ch.Addr, "Provider returned invalid result object after apply", fmt.Errorf("the returned value contains unknown values"))
		return
	}
	if ad.HasErrors() {
		// Errors: a non-null object is kept; a failed create is tainted.
		if !newVal.IsNull() {
			s.store(st, ch.Addr, ch.Type, newVal, resp.Private, prior.IsNull() || ch.Tainted, res)
		}
		return
	}
	if newVal.IsNull() {
		res.violate(ch.Addr, "Provider produced null object", fmt.Errorf("apply of a %s returned a null object and no error", ch.Action))
		return
	}
	if errs := AssertObjectCompatible(rs.Block, final, newVal); len(errs) > 0 {
		res.violate(ch.Addr, "Provider produced inconsistent result after apply", errs...)
	}
	s.store(st, ch.Addr, ch.Type, newVal, resp.Private, false, res)
}

func (s *Session) applyDelete(st *State, ch *Change, prior cty.Value, priorPrivate []byte, res *Result) bool {
	ty := s.Schema.Resources[ch.Type].Block.ImpliedType()
	pdv, err := EncodeValue(prior, ty)
	if err != nil {
		res.violate(ch.Addr, "encoding", err)
		return false
	}
	null, _ := EncodeValue(cty.NullVal(ty), ty)
	privIn := priorPrivate
	if ch.Action == Delete {
		privIn = ch.PlannedPrivate
	}
	ctx, cancel := ctxRPC()
	defer cancel()
	resp, err := s.P.RPC.ApplyResourceChange(ctx, &tfplugin6.ApplyResourceChange_Request{
		TypeName: ch.Type, PriorState: pdv, PlannedState: null, Config: null, PlannedPrivate: privIn,
	})
	if err != nil {
		res.violate(ch.Addr, "ApplyResourceChange (delete) failed", s.rpcErr(err))
		return false
	}
	d := ConvertDiagnostics(resp.Diagnostics)
	res.addDiags(ch.Addr, d)
	newVal, err := DecodeValue(resp.NewState, ty)
	if err != nil {
		res.violate(ch.Addr, "Provider produced invalid object", err)
		return false
	}
	if d.HasErrors() {
		return false
	}
	if !newVal.IsNull() {
		res.violate(ch.Addr, "Provider produced invalid object", fmt.Errorf("Destroying should always produce a null value"))
		return false
	}
	st.set(ch.Addr, nil)
	return true
}

// Import is an `import` block / `terraform import`: ImportResourceState,
// then ReadResource of the stub; the result is stored in the state.
func Import(env Env, cfg *Config, st *State, addr, typ, id string) *Result {
	res := newResult(env)
	s, err := OpenSession(env, cfg, true)
	if err != nil {
		res.violate("provider", "session", err)
		return res
	}
	defer func() {
		if err := s.Close(); err != nil {
			res.violate("provider", "shutdown", err)
		}
	}()
	rs, ok := s.Schema.Resources[typ]
	if !ok {
		res.violate(addr, "import", fmt.Errorf("no schema for %s", typ))
		return res
	}
	ctx, cancel := ctxRPC()
	defer cancel()
	resp, err := s.P.RPC.ImportResourceState(ctx, &tfplugin6.ImportResourceState_Request{TypeName: typ, Id: id})
	if err != nil {
		res.violate(addr, "ImportResourceState failed", s.rpcErr(err))
		return res
	}
	d := ConvertDiagnostics(resp.Diagnostics)
	res.addDiags(addr, d)
	if d.HasErrors() {
		return res
	}
	if resp.Deferred != nil {
		res.violate(addr, "Provider deferred an import without being allowed to", fmt.Errorf("deferred = %v", resp.Deferred))
	}
	switch n := len(resp.ImportedResources); {
	case n == 0:
		res.violate(addr, "Import returned no resources", fmt.Errorf("zero imported_resources"))
		return res
	case n > 1:
		res.violate(addr, "Multiple import states not supported", fmt.Errorf("%d imported_resources", n))
		return res
	}
	ir := resp.ImportedResources[0]
	if ir.TypeName == "" {
		res.violate(addr, "import didn't set type", fmt.Errorf("empty type_name"))
		return res
	}
	if ir.TypeName != typ {
		res.violate(addr, "import returned a different resource type", fmt.Errorf("%q, want %q", ir.TypeName, typ))
		return res
	}
	stub, err := DecodeValue(ir.State, rs.Block.ImpliedType())
	if err != nil {
		res.violate(addr, "Provider produced invalid object", err)
		return res
	}
	if stub.IsNull() || !stub.IsWhollyKnown() {
		res.violate(addr, "Provider produced invalid object", fmt.Errorf("imported state is null or not wholly known"))
		return res
	}
	v, priv, ok := s.read(addr, typ, stub, ir.Private, res)
	if !ok {
		return res
	}
	if v.IsNull() {
		res.addDiags(addr, Diagnostics{{Severity: SeverityError, Summary: "Cannot import non-existent remote object"}})
		return res
	}
	s.store(st, addr, typ, v, priv, false, res)
	return res
}

// ConfigDiags converts hcl diagnostics for error messages.
func ConfigDiags(d hcl.Diagnostics) error {
	if !d.HasErrors() {
		return nil
	}
	return d
}

func stripRemovedAttributes(raw []byte, b *Block) []byte {
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return raw
	}
	changed := false
	for k := range m {
		_, isAttr := b.Attributes[k]
		_, isBlock := b.BlockTypes[k]
		if !isAttr && !isBlock {
			delete(m, k)
			changed = true
		}
	}
	if !changed {
		return raw
	}
	out, err := json.Marshal(m)
	if err != nil {
		return raw
	}
	return out
}
