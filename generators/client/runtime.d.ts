/** The invoke URL of a stage on AWS. */
export declare function stageURL(stage: Stage, id?: string): string;
/** A token provider over Amplify v6: amplifyTokens(fetchAuthSession) with fetchAuthSession from "aws-amplify/auth". */
export declare function amplifyTokens(fetchAuthSession: () => Promise<AmplifySession>): TokenProvider;
/** The Amplify v6 configuration: Auth.Cognito for the user pool, API.REST per stage (NAME-STAGE) plus NAME. */
export declare function amplifyConfig(o: AmplifyConfigOptions): AmplifyConfig;
