package driver

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/zclconf/go-cty/cty"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"hwims/conformance/tfplugin6"
)

// TerraformVersion is what the driver announces in ConfigureProvider.
const TerraformVersion = "1.3.9"

// RPCTimeout bounds each call. Terraform sets no deadline; the driver does,
// only so that a hung provider fails the test instead of hanging it.
var RPCTimeout = 5 * time.Minute

// Env says how to start the provider for each phase.
type Env struct {
	ProviderPath string
	LaunchEnv    []string
	// Secrets must never appear in the provider's log or diagnostics.
	Secrets []string
}

// Session is one provider process for one phase (Terraform starts a fresh
// process for each of validate, plan, apply, import ...).
type Session struct {
	P       *Provider
	Schema  *ProviderSchema
	secrets []string
}

// OpenSession launches the provider and loads its schema, checking it as
// Terraform's schema loader does. With configure it also validates and
// configures the provider from cfg.
func OpenSession(env Env, cfg *Config, configure bool) (*Session, error) {
	p, err := Launch(env.ProviderPath, LaunchOptions{Env: env.LaunchEnv})
	if err != nil {
		return nil, err
	}
	s := &Session{P: p, secrets: env.Secrets}
	ctx, cancel := context.WithTimeout(context.Background(), RPCTimeout)
	defer cancel()
	resp, err := p.RPC.GetProviderSchema(ctx, &tfplugin6.GetProviderSchema_Request{})
	if err != nil {
		p.Kill()
		return nil, fmt.Errorf("GetProviderSchema: %w", s.rpcErr(err))
	}
	// Terraform 1.12+ asks for identity schemas after every schema load:
	// UNIMPLEMENTED means "none", any other error fails the load.
	if _, err := p.RPC.GetResourceIdentitySchemas(ctx, &tfplugin6.GetResourceIdentitySchemas_Request{}); err != nil && status.Code(err) != codes.Unimplemented {
		p.Kill()
		return nil, fmt.Errorf("GetResourceIdentitySchemas (Terraform 1.12+ fails the schema load): %w", err)
	}
	ps, errs := ConvertProviderSchema(resp)
	if len(errs) > 0 {
		p.Kill()
		return nil, fmt.Errorf("provider has invalid schema: %v", errs)
	}
	s.Schema = ps
	if configure {
		if diags, err := s.Configure(cfg); err != nil {
			p.Kill()
			return nil, err
		} else if diags.HasErrors() {
			p.Kill()
			return nil, fmt.Errorf("configuring provider: %s", diags)
		}
	}
	return s, nil
}

// Close ends the phase (Shutdown, wait for exit) and reports an unclean exit.
// rpcErr adds the provider's last stderr lines to an error that looks like
// the process died (a crash or a sanitizer report ends the connection).
func (s *Session) rpcErr(err error) error {
	if status.Code(err) != codes.Unavailable {
		return err
	}
	// go-plugin copies stderr asynchronously: let a dying process's last
	// words arrive (error path only).
	time.Sleep(300 * time.Millisecond)
	return fmt.Errorf("%w\nprovider stderr:\n%s", err, crashReport(s.P.Stderr.String()))
}

// crashReport picks the start of a sanitizer or crash report out of stderr
// (its first lines say what and where), else the last lines.
func crashReport(stderr string) string {
	for _, marker := range []string{"ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:", "panic: ", "Segmentation fault"} {
		if i := strings.LastIndex(stderr, marker); i >= 0 {
			if j := strings.LastIndex(stderr[:i], "\n"); j >= 0 {
				i = j + 1
			}
			lines := strings.SplitN(stderr[i:], "\n", 26)
			if len(lines) > 25 {
				lines = lines[:25]
			}
			return strings.Join(lines, "\n")
		}
	}
	return tail(stderr, 30)
}

// Close also checks the phase's log: lines go-plugin would choke on, and
// secrets.
func (s *Session) Close() error {
	var errs []error
	if err := s.P.Kill(); err != nil {
		errs = append(errs, err)
	}
	errs = append(errs, CheckLogLines(s.P.Stderr.String())...)
	errs = append(errs, CheckNoSecrets("provider log", s.P.Stderr.String(), s.secrets...)...)
	if len(errs) > 0 {
		return fmt.Errorf("%v", errs)
	}
	return nil
}

// Configure sends ValidateProviderConfig then (if that had no errors)
// ConfigureProvider, as Terraform does before every plan/apply/import walk.
func (s *Session) Configure(cfg *Config) (Diagnostics, error) {
	pty := s.Schema.Provider.Block.ImpliedType()
	val, hdiags := cfg.ProviderConfig(s.Schema.Provider.Block)
	if hdiags.HasErrors() {
		return nil, fmt.Errorf("provider configuration: %s", hdiags.Error())
	}
	diags, err := s.ValidateProviderConfig(val)
	if err != nil || diags.HasErrors() {
		return diags, err
	}
	dv, err := EncodeValue(val, pty)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), RPCTimeout)
	defer cancel()
	resp, err := s.P.RPC.ConfigureProvider(ctx, &tfplugin6.ConfigureProvider_Request{
		TerraformVersion: TerraformVersion,
		Config:           dv,
	})
	if err != nil {
		return nil, fmt.Errorf("ConfigureProvider: %w", s.rpcErr(err))
	}
	d := ConvertDiagnostics(resp.Diagnostics)
	if errs := d.CheckWellFormed(); len(errs) > 0 {
		return d, errs[0]
	}
	return append(diags, d...), nil
}

// ValidateProviderConfig sends a provider configuration value.
func (s *Session) ValidateProviderConfig(val cty.Value) (Diagnostics, error) {
	dv, err := EncodeValue(val, s.Schema.Provider.Block.ImpliedType())
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), RPCTimeout)
	defer cancel()
	resp, err := s.P.RPC.ValidateProviderConfig(ctx, &tfplugin6.ValidateProviderConfig_Request{Config: dv})
	if err != nil {
		return nil, fmt.Errorf("ValidateProviderConfig: %w", s.rpcErr(err))
	}
	d := ConvertDiagnostics(resp.Diagnostics)
	if errs := d.CheckWellFormed(); len(errs) > 0 {
		return d, errs[0]
	}
	return d, nil
}

// ValidateResourceConfig sends a resource configuration value.
func (s *Session) ValidateResourceConfig(typeName string, val cty.Value) (Diagnostics, error) {
	rs, ok := s.Schema.Resources[typeName]
	if !ok {
		return nil, fmt.Errorf("no schema for resource type %q", typeName)
	}
	dv, err := EncodeValue(val, rs.Block.ImpliedType())
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), RPCTimeout)
	defer cancel()
	resp, err := s.P.RPC.ValidateResourceConfig(ctx, &tfplugin6.ValidateResourceConfig_Request{TypeName: typeName, Config: dv})
	if err != nil {
		return nil, fmt.Errorf("ValidateResourceConfig: %w", s.rpcErr(err))
	}
	d := ConvertDiagnostics(resp.Diagnostics)
	if errs := d.CheckWellFormed(); len(errs) > 0 {
		return d, errs[0]
	}
	return d, nil
}

// Stop sends StopProvider (what Terraform does on Ctrl-C).
func (s *Session) Stop() (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), RPCTimeout)
	defer cancel()
	resp, err := s.P.RPC.StopProvider(ctx, &tfplugin6.StopProvider_Request{})
	if err != nil {
		return "", err
	}
	return resp.Error, nil
}
