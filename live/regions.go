package live

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// RegionLister calls EC2 DescribeRegions, which lists the regions enabled
// for the account (opted-in ones included, disabled ones not). It is one
// signed Query-protocol POST, so Portcullis does not carry the whole EC2
// SDK for it; credentials need only ec2:DescribeRegions.
type RegionLister struct {
	Credentials aws.CredentialsProvider
	// Region is the region whose EC2 endpoint answers (any enabled one).
	Region string
	// Endpoint overrides https://ec2.REGION.amazonaws.com (tests).
	Endpoint   string
	HTTPClient *http.Client
}

// EnabledRegions returns the account's enabled regions, sorted.
func (l RegionLister) EnabledRegions(ctx context.Context) ([]string, error) {
	endpoint := l.Endpoint
	if endpoint == "" {
		endpoint = "https://ec2." + l.Region + ".amazonaws.com/"
	}
	body := "Action=DescribeRegions&Version=2016-11-15"
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	creds, err := l.Credentials.Retrieve(ctx)
	if err != nil {
		return nil, fmt.Errorf("DescribeRegions: credentials: %w", err)
	}
	sum := sha256.Sum256([]byte(body))
	if err := v4.NewSigner().SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), "ec2", l.Region, time.Now()); err != nil {
		return nil, err
	}
	hc := l.HTTPClient
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("DescribeRegions: %w", err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("DescribeRegions: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		var e struct {
			Errors []struct {
				Code    string `xml:"Code"`
				Message string `xml:"Message"`
			} `xml:"Errors>Error"`
		}
		if xml.Unmarshal(b, &e) == nil && len(e.Errors) > 0 {
			return nil, fmt.Errorf("DescribeRegions: %s: %s", e.Errors[0].Code, e.Errors[0].Message)
		}
		return nil, fmt.Errorf("DescribeRegions: HTTP %d", resp.StatusCode)
	}
	var out struct {
		Regions []string `xml:"regionInfo>item>regionName"`
	}
	if err := xml.Unmarshal(b, &out); err != nil {
		return nil, fmt.Errorf("DescribeRegions: %w", err)
	}
	if len(out.Regions) == 0 {
		return nil, fmt.Errorf("DescribeRegions returned no region")
	}
	sort.Strings(out.Regions)
	return out.Regions, nil
}
