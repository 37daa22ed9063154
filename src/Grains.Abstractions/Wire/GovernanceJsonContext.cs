using System.Text.Json;
using System.Text.Json.Serialization;

namespace Governance.Grains.Wire;

/// <summary>Source-generated JSON metadata of every wire type, with the snake_case names of the API.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DictionaryKeyPolicy = JsonKnownNamingPolicy.Unspecified,
    NumberHandling = JsonNumberHandling.Strict,
    ReadCommentHandling = JsonCommentHandling.Disallow,
    AllowTrailingCommas = false)]
[JsonSerializable(typeof(TrainingOutputRequest))]
[JsonSerializable(typeof(ApprovalRequest))]
[JsonSerializable(typeof(SignatureRequest))]
[JsonSerializable(typeof(DeploymentRequest))]
[JsonSerializable(typeof(RevocationRequest))]
[JsonSerializable(typeof(KeyRegistrationRequest))]
[JsonSerializable(typeof(VerifyQuery))]
[JsonSerializable(typeof(VerifyBatchRequest))]
[JsonSerializable(typeof(VerifyDecision))]
[JsonSerializable(typeof(VerifyBatchResponse))]
[JsonSerializable(typeof(ModelView))]
[JsonSerializable(typeof(ApprovalView))]
[JsonSerializable(typeof(TrainingView))]
[JsonSerializable(typeof(ApprovalDocumentView))]
[JsonSerializable(typeof(PromotionResult))]
[JsonSerializable(typeof(EvidencePage))]
[JsonSerializable(typeof(ChainVerification))]
[JsonSerializable(typeof(KeyView))]
[JsonSerializable(typeof(KeyRegistrationResult))]
[JsonSerializable(typeof(ModelListPage))]
[JsonSerializable(typeof(ProblemBody))]
[JsonSerializable(typeof(DriftObservationRequest))]
[JsonSerializable(typeof(DriftObservation))]
[JsonSerializable(typeof(DriftAccepted))]
[JsonSerializable(typeof(DriftAlert))]
[JsonSerializable(typeof(DriftDeadLetterPage))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(System.Text.Json.Nodes.JsonNode))]
public sealed partial class GovernanceJsonContext : JsonSerializerContext;
