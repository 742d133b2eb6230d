package probe

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go"
)

// InitiateAuthAPI is the one Cognito call a sign-in makes.
type InitiateAuthAPI interface {
	InitiateAuth(ctx context.Context, in *cip.InitiateAuthInput, optFns ...func(*cip.Options)) (*cip.InitiateAuthOutput, error)
}

// NewCognitoClient is an unsigned Cognito client for region, at endpoint
// when one is given (cognito-local, tests). InitiateAuth needs no AWS
// credentials, so none are looked up.
func NewCognitoClient(region, endpoint string) *cip.Client {
	return cip.New(cip.Options{
		Region:      region,
		Credentials: aws.AnonymousCredentials{},
		BaseEndpoint: func() *string {
			if endpoint == "" {
				return nil
			}
			return aws.String(endpoint)
		}(),
	})
}

// SignIn signs a user in with USER_PASSWORD_AUTH (the app client must allow
// ALLOW_USER_PASSWORD_AUTH and have no secret) and returns the ID and
// access tokens. Errors never carry the password or a token.
func SignIn(ctx context.Context, c InitiateAuthAPI, clientID, username, password string) (Supplied, error) {
	if clientID == "" || username == "" || password == "" {
		return Supplied{}, errors.New("sign-in needs an app client id, a username and a password")
	}
	out, err := c.InitiateAuth(ctx, &cip.InitiateAuthInput{
		AuthFlow:       types.AuthFlowTypeUserPasswordAuth,
		ClientId:       aws.String(clientID),
		AuthParameters: map[string]string{"USERNAME": username, "PASSWORD": password},
	})
	if err != nil {
		var ae smithy.APIError
		if errors.As(err, &ae) {
			return Supplied{}, fmt.Errorf("sign-in to Cognito as %q refused: %s: %s", username, ae.ErrorCode(), ae.ErrorMessage())
		}
		return Supplied{}, fmt.Errorf("sign-in to Cognito as %q: %w", username, err)
	}
	if out.ChallengeName != "" {
		return Supplied{}, fmt.Errorf("sign-in to Cognito as %q needs the %s challenge answered first (for a new user: set a permanent password)", username, out.ChallengeName)
	}
	r := out.AuthenticationResult
	if r == nil || aws.ToString(r.IdToken) == "" || aws.ToString(r.AccessToken) == "" {
		return Supplied{}, fmt.Errorf("sign-in to Cognito as %q returned no tokens", username)
	}
	return Supplied{ID: aws.ToString(r.IdToken), Access: aws.ToString(r.AccessToken)}, nil
}
