using System.Globalization;
using SafetyWorkflows.Core.Documents;
using SafetyWorkflows.Web.Documents;
using SafetyWorkflows.Web.Localization;

namespace SafetyWorkflows.IntegrationTests.Documents;

/// <summary>Every stage key the API can answer with has words in both languages.</summary>
public sealed class StageLabelTests
{
    [Fact]
    public void EveryStageKey_HasAChineseAndAnEnglishLabel()
    {
        var before = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = new CultureInfo("zh-CN");
            var chinese = DocumentStages.All.Select(DocumentMappings.StageLabel).ToList();
            CultureInfo.CurrentUICulture = new CultureInfo("en");
            var english = DocumentStages.All.Select(DocumentMappings.StageLabel).ToList();

            Assert.All(DocumentStages.All, key => Assert.True(UiText.Has("Stage." + key), key));
            Assert.Equal(["草稿", "审批中", "已批准", "已下达", "整改中", "待复查", "已销号", "已公布", "已备案", "已签订", "已驳回", "已归档"], chinese);
            Assert.DoesNotContain(english, label => label.StartsWith("Stage.", StringComparison.Ordinal) || label.Any(c => c > 0x2E80));
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }
}
