using CallWaiting.Speech.Engines.Onnx;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace CallWaiting.Speech.Tests.Engines.Piper;

/// <summary>
/// The ONNX Runtime settings: refused when invalid, CUDA falls back to the CPU with a warning where it cannot run, and
/// spinning (off by default) is a setting ONNX Runtime takes either way.
/// </summary>
public sealed class OnnxSessionFactoryTests
{
    [Fact]
    public void Cuda_without_the_CUDA_provider_warns_and_runs_on_the_cpu()
    {
        // The CPU package (Microsoft.ML.OnnxRuntime) has no CUDA provider, on any machine.
        var factory = new OnnxSessionFactory(new OnnxOptions { Provider = "cuda" });
        Assert.Equal("cpu", factory.Provider);
        Assert.Contains("CUDA cannot be used", factory.Warning);
        using var session = factory.Open(PiperKit.Source(PiperKit.Reveal + ".onnx"));
        Assert.Contains("input", session.InputMetadata.Keys);
    }

    [Fact]
    public void The_cpu_provider_has_no_warning()
    {
        var factory = new OnnxSessionFactory(new OnnxOptions { IntraOpThreads = 1 });
        Assert.Equal(("cpu", (string?)null), (factory.Provider, factory.Warning));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Sessions_open_and_run_with_spinning_off_or_on(bool spinning)
    {
        using var session = new OnnxSessionFactory(new OnnxOptions { AllowSpinning = spinning }).Open(PiperKit.Source(PiperKit.Reveal + ".onnx"));
        long[] ids = [1, 0, 20, 0, 2];
        using var results = session.Run([
            NamedOnnxValue.CreateFromTensor("input", new DenseTensor<long>(ids, [1, ids.Length])),
            NamedOnnxValue.CreateFromTensor("input_lengths", new DenseTensor<long>(new[] { (long)ids.Length }, [1])),
            NamedOnnxValue.CreateFromTensor("scales", new DenseTensor<float>(new[] { 0.667f, 1f, 0.8f }, [3])),
        ]);
        Assert.Equal([1L, 0, 20, 0, 2], PiperKit.Read(results[0].AsTensor<float>().ToArray(), multiSpeaker: false).Ids);
    }

    [Fact]
    public void Spinning_is_off_unless_asked_for() => Assert.False(new OnnxOptions().AllowSpinning);

    [Theory]
    [InlineData("tpu", 0, 2, 32, 100, "Provider")]
    [InlineData("cpu", -1, 2, 32, 100, "IntraOpThreads")]
    [InlineData("cpu", 0, 0, 32, 100, "MaxConcurrencyPerModel")]
    [InlineData("cpu", 0, 2, -1, 100, "MaxQueuePerModel")]
    [InlineData("cpu", 0, 2, 32, -1, "FirstSentenceCut")]
    public void Invalid_settings_are_refused_naming_the_setting(string provider, int threads, int concurrency, int queue, int cut, string setting)
    {
        var options = new OnnxOptions
        {
            Provider = provider, IntraOpThreads = threads, MaxConcurrencyPerModel = concurrency, MaxQueuePerModel = queue, FirstSentenceCut = cut,
        };
        Assert.Contains(setting, Assert.Single(options.Problems()));
        Assert.Contains(setting, Assert.Throws<ArgumentException>(() => new OnnxSessionFactory(options)).Message);
    }
}
