package driver

import (
	"bufio"
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"sort"
	"strings"
	"time"
)

// Seed facts (briefs/seed.md): imsd's built-in default seed.
const (
	SeedAccessKey = "HWIMSDEMOACCESSKEY01"
	SeedSecretKey = "hwimsDemoSecretKey0123456789abcdefghijklm"
	SeedRegion    = "cn-north-4"
	SeedRegion2   = "cn-south-1"
	SeedProject   = "0a4c7e2f9b1d4e6f8a3c5e7f9b1d3e5f"
	SeedProject2  = "1b5d8f3a0c2e4f7a9b4d6f8a0c2e4f6a"
	SeedImage     = "6a1e0b2c-3d4f-4a5b-8c6d-7e8f9a0b1c01" // ubuntu-2204-golden, 2 GiB
	SeedDataImage = "6a1e0b2c-3d4f-4a5b-8c6d-7e8f9a0b1c02" // data-disk-golden, 10 GiB
	SeedLargeImg  = "6a1e0b2c-3d4f-4a5b-8c6d-7e8f9a0b1c07" // centos-79-large, 100 GiB
	SeedSouthImg  = "6a1e0b2c-3d4f-4a5b-8c6d-7e8f9a0b1c11" // debian-12-golden in cn-south-1
	SeedKMSKey    = "7b2f1c3d-4e5a-4b6c-9d7e-8f9a0b1c2d01"
	SeedKMSKey2   = "7b2f1c3d-4e5a-4b6c-9d7e-8f9a0b1c2d02"
	SeedAgency    = "ims_admin_agency"
	SeedVault     = "8c3a2d4e-5f6b-4c7d-8e9f-0a1b2c3d4e11" // cn-south-1
	SeedEPS       = "9d4b3e5f-6a7c-4d8e-9f0a-1b2c3d4e5f01"
	SeedEPS2      = "9d4b3e5f-6a7c-4d8e-9f0a-1b2c3d4e5f02"
)

var seedProjects = map[string]string{
	"cn-north-4":     "0a4c7e2f9b1d4e6f8a3c5e7f9b1d3e5f",
	"cn-south-1":     "1b5d8f3a0c2e4f7a9b4d6f8a0c2e4f6a",
	"ap-southeast-1": "2c6e9a4b1d3f4a8b0c5e7a9b1d3f5a7b",
}

// Imsd is a running imsd process.
type Imsd struct {
	URL    string // http://HOST:PORT
	cmd    *exec.Cmd
	Stderr *SyncBuffer
	http   *http.Client
}

// StartImsd runs `imsd --listen 127.0.0.1:0 --data DIR --time-scale 100
// [args...]` and reads its first stdout line "imsd listening on URL".
func StartImsd(bin, dataDir string, args ...string) (*Imsd, error) {
	if err := os.MkdirAll(dataDir, 0o755); err != nil {
		return nil, err
	}
	full := append([]string{"--listen", "127.0.0.1:0", "--data", dataDir, "--time-scale", "100"}, args...)
	cmd := exec.Command(bin, full...)
	stderr := &SyncBuffer{}
	cmd.Stderr = stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	lines := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		if sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
		io.Copy(io.Discard, out)
	}()
	select {
	case line, ok := <-lines:
		const prefix = "imsd listening on "
		if !ok || !strings.HasPrefix(line, prefix) {
			cmd.Process.Kill()
			cmd.Wait()
			return nil, fmt.Errorf("imsd did not announce its address (got %q); stderr: %s", line, stderr.String())
		}
		return &Imsd{URL: strings.TrimRight(strings.TrimPrefix(line, prefix), "/"), cmd: cmd, Stderr: stderr,
			http: &http.Client{Timeout: 30 * time.Second}}, nil
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		cmd.Wait()
		return nil, fmt.Errorf("imsd did not start within 30 s; stderr: %s", stderr.String())
	}
}

// Close stops imsd.
func (m *Imsd) Close() {
	if m == nil || m.cmd.Process == nil {
		return
	}
	m.cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { m.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		m.cmd.Process.Kill()
		<-done
	}
}

// ProviderVars are the variables the scenario .tf files use for the
// provider block: endpoints of this imsd and the seed credentials.
func (m *Imsd) ProviderVars() map[string]string {
	return map[string]string{
		"imsd_url":   m.URL,
		"access_key": SeedAccessKey,
		"secret_key": SeedSecretKey,
		"region":     SeedRegion,
	}
}

func escapeSeg(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// Sign signs req with SDK-HMAC-SHA256 (ims-api.md section 3) over the
// headers present (plus host), as the Python SDK does.
func Sign(req *http.Request, body []byte, ak, sk string, now time.Time) {
	date := now.UTC().Format("20060102T150405Z")
	req.Header.Set("X-Sdk-Date", date)
	segs := strings.Split(req.URL.Path, "/")
	for i, s := range segs {
		segs[i] = escapeSeg(s)
	}
	uri := strings.Join(segs, "/")
	if !strings.HasSuffix(uri, "/") {
		uri += "/"
	}
	q := req.URL.Query()
	var keys []string
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var qs []string
	for _, k := range keys {
		vals := append([]string(nil), q[k]...)
		sort.Strings(vals)
		for _, v := range vals {
			qs = append(qs, escapeSeg(k)+"="+escapeSeg(v))
		}
	}
	req.URL.RawQuery = strings.Join(qs, "&")
	hdrs := map[string]string{"host": req.URL.Host}
	for k, v := range req.Header {
		hdrs[strings.ToLower(k)] = strings.TrimSpace(v[0])
	}
	var names []string
	for k := range hdrs {
		names = append(names, k)
	}
	sort.Strings(names)
	var canonHeaders strings.Builder
	for _, n := range names {
		canonHeaders.WriteString(n + ":" + hdrs[n] + "\n")
	}
	sum := sha256.Sum256(body)
	canon := strings.Join([]string{req.Method, uri, req.URL.RawQuery, canonHeaders.String(), strings.Join(names, ";"), hex.EncodeToString(sum[:])}, "\n")
	ch := sha256.Sum256([]byte(canon))
	sts := "SDK-HMAC-SHA256\n" + date + "\n" + hex.EncodeToString(ch[:])
	mac := hmac.New(sha256.New, []byte(sk))
	mac.Write([]byte(sts))
	req.Header.Set("Authorization", fmt.Sprintf("SDK-HMAC-SHA256 Access=%s, SignedHeaders=%s, Signature=%s", ak, strings.Join(names, ";"), hex.EncodeToString(mac.Sum(nil))))
}

// Do sends a signed request to imsd: path is below the base URL, e.g.
// "/cn-north-4/v2/cloudimages?id=X".
func (m *Imsd) Do(method, path, project string, body interface{}) (int, []byte, error) {
	var raw []byte
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, nil, err
		}
		raw = b
	}
	req, err := http.NewRequest(method, m.URL+path, bytes.NewReader(raw))
	if err != nil {
		return 0, nil, err
	}
	if raw != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	Sign(req, raw, SeedAccessKey, SeedSecretKey, time.Now())
	if project != "" {
		req.Header.Set("X-Project-Id", project)
	}
	resp, err := m.http.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	return resp.StatusCode, out, err
}

// Image is what the driver reads of an imsd image.
type Image map[string]interface{}

// ListImages lists the private images in a region (all pages).
func (m *Imsd) ListImages(region string, query string) ([]Image, error) {
	path := "/" + region + "/v2/cloudimages?__imagetype=private&limit=1000"
	if query != "" {
		path += "&" + query
	}
	code, body, err := m.Do("GET", path, seedProjects[region], nil)
	if err != nil {
		return nil, err
	}
	if code != 200 {
		return nil, fmt.Errorf("list images in %s: HTTP %d: %s", region, code, body)
	}
	var r struct {
		Images []Image `json:"images"`
	}
	if err := json.Unmarshal(body, &r); err != nil {
		return nil, err
	}
	return r.Images, nil
}

// GetImage returns one image by ID in a region (nil if absent).
func (m *Imsd) GetImage(region, id string) (Image, error) {
	imgs, err := m.ListImages(region, "id="+url.QueryEscape(id))
	if err != nil {
		return nil, err
	}
	for _, im := range imgs {
		if im["id"] == id {
			return im, nil
		}
	}
	return nil, nil
}

// DeleteImage deletes an image behind Terraform's back.
func (m *Imsd) DeleteImage(region, id string) error {
	code, body, err := m.Do("DELETE", "/"+region+"/v2/images/"+id, seedProjects[region], nil)
	if err != nil {
		return err
	}
	if code != 200 && code != 202 && code != 204 {
		return fmt.Errorf("delete image %s: HTTP %d: %s", id, code, body)
	}
	return nil
}

// SetFaults changes imsd's fault injection (/_admin/faults).
func (m *Imsd) SetFaults(settings map[string]interface{}) error {
	b, _ := json.Marshal(settings)
	req, err := http.NewRequest("PUT", m.URL+"/_admin/faults", bytes.NewReader(b))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := m.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("set faults: HTTP %d: %s", resp.StatusCode, out)
	}
	return nil
}

// Faults reads imsd's current fault settings (/_admin/faults).
func (m *Imsd) Faults() (map[string]interface{}, error) {
	resp, err := m.http.Get(m.URL + "/_admin/faults")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var out map[string]interface{}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return nil, err
	}
	return out, nil
}
