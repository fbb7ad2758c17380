// Package driver plays Terraform's side of the plugin protocol: it launches a
// provider binary through HashiCorp's go-plugin client exactly as Terraform
// does, talks tfplugin6 over grpc-go, encodes values with go-cty, reads
// configurations with hcl/v2 and applies the checks Terraform applies.
package driver

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"os/exec"
	"sync"
	"time"

	hclog "github.com/hashicorp/go-hclog"
	plugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"

	"hwims/conformance/tfplugin6"
)

// MagicCookieKey and MagicCookieValue are Terraform's plugin handshake
// (internal/plugin6/serve.go).
const (
	MagicCookieKey   = "TF_PLUGIN_MAGIC_COOKIE"
	MagicCookieValue = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2"
)

// SyncBuffer is a bytes.Buffer safe for the concurrent writers go-plugin uses.
type SyncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *SyncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *SyncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// providerPlugin is the go-plugin GRPCPlugin for protocol 6: dispensing it
// yields a tfplugin6.ProviderClient on the plugin's connection.
type providerPlugin struct {
	plugin.NetRPCUnsupportedPlugin
}

func (providerPlugin) GRPCServer(*plugin.GRPCBroker, *grpc.Server) error {
	return errors.New("the driver is a client only")
}

func (providerPlugin) GRPCClient(_ context.Context, _ *plugin.GRPCBroker, c *grpc.ClientConn) (interface{}, error) {
	return tfplugin6.NewProviderClient(c), nil
}

// protocol5Plugin stands for Terraform's tfplugin5 client. Terraform offers
// both 5 and 6 (so the plugin sees PLUGIN_PROTOCOL_VERSIONS "5,6" or "6,5");
// this provider only speaks 6, so negotiating 5 is a failure.
type protocol5Plugin struct {
	plugin.NetRPCUnsupportedPlugin
}

func (protocol5Plugin) GRPCServer(*plugin.GRPCBroker, *grpc.Server) error {
	return errors.New("the driver is a client only")
}

func (protocol5Plugin) GRPCClient(context.Context, *plugin.GRPCBroker, *grpc.ClientConn) (interface{}, error) {
	return nil, errors.New("plugin negotiated protocol 5: Terraform would speak tfplugin5.Provider to it, but it serves tfplugin6")
}

// Provider is one running provider process, as Terraform holds it for one phase.
type Provider struct {
	RPC    tfplugin6.ProviderClient
	client *plugin.Client
	cmd    *exec.Cmd
	// Stderr receives the plugin's raw stderr, line by line.
	Stderr *SyncBuffer
	// Log receives go-plugin's own log (including parsed plugin log lines).
	Log *SyncBuffer
}

// LaunchOptions tune Launch; the zero value is Terraform's configuration.
type LaunchOptions struct {
	Env          []string      // extra environment variables (KEY=VALUE)
	NoCookie     bool          // do not send the magic cookie (negative tests)
	StartTimeout time.Duration // 0: go-plugin's default of one minute
}

// Launch starts the provider at path the way terraform's providerFactory
// does: go-plugin client, AutoMTLS, Managed, grpc only, versioned plugin sets
// {5, 6}. It fails unless the plugin negotiated protocol 6 over gRPC with a
// server certificate that verifies.
func Launch(path string, opt LaunchOptions) (*Provider, error) {
	p := &Provider{Stderr: &SyncBuffer{}, Log: &SyncBuffer{}}
	cmd := exec.Command(path)
	// go-plugin appends os.Environ() and its own variables after these, as
	// Terraform's plugin clients do, so opt.Env only adds variables.
	cmd.Env = append([]string(nil), opt.Env...)
	p.cmd = cmd
	cookie := MagicCookieValue
	if opt.NoCookie {
		cookie = "wrong"
	}
	cfg := &plugin.ClientConfig{
		HandshakeConfig: plugin.HandshakeConfig{
			// Terraform sets ProtocolVersion only through VersionedPlugins.
			MagicCookieKey:   MagicCookieKey,
			MagicCookieValue: cookie,
		},
		VersionedPlugins: map[int]plugin.PluginSet{
			5: {"provider": protocol5Plugin{}},
			6: {"provider": providerPlugin{}},
		},
		Cmd:              cmd,
		AllowedProtocols: []plugin.Protocol{plugin.ProtocolGRPC},
		Managed:          true,
		AutoMTLS:         true,
		StartTimeout:     opt.StartTimeout,
		Stderr:           p.Stderr,
		Logger: hclog.New(&hclog.LoggerOptions{
			Name:   "plugin",
			Level:  hclog.Trace,
			Output: p.Log,
		}),
	}
	p.client = plugin.NewClient(cfg)
	rpc, err := p.client.Client()
	if err != nil {
		p.client.Kill()
		return nil, fmt.Errorf("launching %s: %w", path, err)
	}
	if v := p.client.NegotiatedVersion(); v != 6 {
		p.client.Kill()
		return nil, fmt.Errorf("plugin negotiated protocol %d, want 6", v)
	}
	raw, err := rpc.Dispense("provider")
	if err != nil {
		p.client.Kill()
		return nil, fmt.Errorf("dispensing provider: %w", err)
	}
	pc, ok := raw.(tfplugin6.ProviderClient)
	if !ok {
		p.client.Kill()
		return nil, fmt.Errorf("dispensed %T, want a tfplugin6 client", raw)
	}
	p.RPC = pc
	return p, nil
}

// Conn returns the gRPC connection go-plugin dialled (for raw calls).
func (p *Provider) Conn() (*grpc.ClientConn, error) {
	rpc, err := p.client.Client()
	if err != nil {
		return nil, err
	}
	gc, ok := rpc.(*plugin.GRPCClient)
	if !ok {
		return nil, fmt.Errorf("not a gRPC client: %T", rpc)
	}
	return gc.Conn, nil
}

// Pid is the provider's process ID.
func (p *Provider) Pid() int {
	if p.cmd.Process == nil {
		return 0
	}
	return p.cmd.Process.Pid
}

// Kill ends the phase as Terraform does (PluginClient.Kill: GRPCController
// Shutdown, close, wait up to 2 s, then SIGKILL) and reports whether the
// process exited by itself with status 0. A provider that had to be killed,
// crashed, or exited non-zero (a sanitizer report, for example) is an error.
func (p *Provider) Kill() error {
	p.client.Kill()
	st := p.cmd.ProcessState
	if st == nil {
		return errors.New("provider process state unknown after Kill")
	}
	if !st.Exited() {
		return fmt.Errorf("provider did not exit on Shutdown within 2 s and was killed (%s)", st.String())
	}
	if st.ExitCode() != 0 {
		return fmt.Errorf("provider exited with status %d after Shutdown; stderr:\n%s", st.ExitCode(), crashReport(p.Stderr.String()))
	}
	return nil
}

func tail(s string, lines int) string {
	n := 0
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == '\n' {
			n++
			if n > lines {
				return s[i+1:]
			}
		}
	}
	return s
}

// ClientCertPEM makes a client certificate like go-plugin's AutoMTLS one
// (ECDSA P-521, self-signed, CN/SAN localhost), for tests that start the
// provider by hand.
func ClientCertPEM() ([]byte, error) {
	key, err := ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
	if err != nil {
		return nil, err
	}
	sn, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 128))
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		Subject:               pkix.Name{CommonName: "localhost", Organization: []string{"HashiCorp"}},
		DNSNames:              []string{"localhost"},
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth, x509.ExtKeyUsageServerAuth},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment | x509.KeyUsageKeyAgreement | x509.KeyUsageCertSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
		SerialNumber:          sn,
		NotBefore:             time.Now().Add(-30 * time.Second),
		NotAfter:              time.Now().Add(time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		return nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), nil
}
