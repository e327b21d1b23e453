namespace CallWaiting.Speech.Tests.Text;

public sealed class EnglishNormalizerTests
{
    [Fact]
    public void Reads_the_balance_sentence_as_a_person_would()
    {
        var script = TextTestSupport.FrontEnd.Process("Your balance is $42.50. Call 555-0199 at 9:30 AM.", false, "en-US", 200);

        var chunks = script.Segments.Cast<CallWaiting.Speech.Text.SpokenText>().ToList();
        Assert.Equal(2, chunks.Count);
        Assert.Equal("Your balance is forty-two dollars and fifty cents.", chunks[0].Text);
        Assert.Equal("Call five five five, zero one nine nine at nine thirty A.M.", chunks[1].Text);
        Assert.All(chunks, c => Assert.True(c.EndsSentence));
    }

    [Theory]
    [InlineData("It costs $42.50 today.", "It costs forty-two dollars and fifty cents today.")]
    [InlineData("Pay $1 now.", "Pay one dollar now.")]
    [InlineData("Only $0.99 each.", "Only ninety-nine cents each.")]
    [InlineData("A $5M deal.", "A five million dollars deal.")]
    [InlineData("Raised $1.5 billion.", "Raised one point five billion dollars.")]
    [InlineData("It is £3.20.", "It is three pounds and twenty pence.")]
    [InlineData("It is €10.", "It is ten euros.")]
    [InlineData("Just 50¢.", "Just fifty cents.")]
    [InlineData("A fee of $1,250.", "A fee of one thousand two hundred fifty dollars.")]
    [InlineData("Down -$5 today.", "Down minus five dollars today.")]
    [InlineData("It was $4.5 then.", "It was four dollars and fifty cents then.")]
    [InlineData("One cent is $0.01.", "One cent is one cent.")]
    [InlineData("Exactly $42.00.", "Exactly forty-two dollars.")]
    public void ReadsMoney(string input, string expected) => Assert.Equal(expected, TextTestSupport.Speak(input));

    [Theory]
    [InlineData("Call 555-0199.", "Call five five five, zero one nine nine.")]
    [InlineData("Call (415) 555-0199.", "Call four one five, five five five, zero one nine nine.")]
    [InlineData("Call +1 415 555 0199.", "Call plus one, four one five, five five five, zero one nine nine.")]
    [InlineData("Call 415-555-0199.", "Call four one five, five five five, zero one nine nine.")]
    [InlineData("Call 1-800-555-0199.", "Call one, eight zero zero, five five five, zero one nine nine.")]
    [InlineData("Call +14155550199.", "Call plus one, four one five, five five five, zero one nine nine.")]
    [InlineData("Call +44 20 7946 0958.", "Call plus four four, two zero, seven nine four six, zero nine five eight.")]
    public void ReadsPhoneNumbersDigitByDigitInGroups(string input, string expected) => Assert.Equal(expected, TextTestSupport.Speak(input));

    [Theory]
    [InlineData("Meet at 9:30 AM.", "Meet at nine thirty A.M.")]
    [InlineData("Meet at 9:30 am tomorrow.", "Meet at nine thirty A.M. tomorrow.")]
    [InlineData("Meet at 14:05.", "Meet at fourteen oh five.")]
    [InlineData("Meet at 9am.", "Meet at nine A.M.")]
    [InlineData("Meet at 9 p.m. tonight.", "Meet at nine P.M. tonight.")]
    [InlineData("Meet at 12:00 PM.", "Meet at twelve P.M.")]
    [InlineData("Meet at 9:00.", "Meet at nine o'clock.")]
    [InlineData("Meet at 18:00.", "Meet at eighteen hundred.")]
    [InlineData("Meet at 9:05 pm.", "Meet at nine oh five P.M.")]
    [InlineData("It ends at 10:15:30.", "It ends at ten fifteen and thirty seconds.")]
    [InlineData("A score of 25:99 stays.", "A score of twenty-five:ninety-nine stays.")]
    public void ReadsTimes(string input, string expected) => Assert.Equal(expected, TextTestSupport.Speak(input));

    [Theory]
    [InlineData("Due 12/03/2025.", "en-US", "Due December third, twenty twenty-five.")]
    [InlineData("Due 12/03/2025.", "en-GB", "Due the twelfth of March, twenty twenty-five.")]
    [InlineData("Due 12/03/2025.", "en", "Due December third, twenty twenty-five.")]
    [InlineData("Due 25/12/2025.", "en-US", "Due December twenty-fifth, twenty twenty-five.")]
    [InlineData("Due 2025-12-03.", "en-US", "Due December third, twenty twenty-five.")]
    [InlineData("Due 2025-12-03.", "en-AU", "Due the third of December, twenty twenty-five.")]
    [InlineData("Due Dec 3, 2025.", "en-US", "Due December third, twenty twenty-five.")]
    [InlineData("Due December 31st.", "en-US", "Due December thirty-first.")]
    [InlineData("Due 3rd of December 2025.", "en-GB", "Due the third of December, twenty twenty-five.")]
    [InlineData("Due 1 May.", "en-GB", "Due the first of May.")]
    [InlineData("Due 02/30/2025 maybe.", "en-US", "Due zero two slash thirty slash twenty twenty-five maybe.")]
    public void ReadsDatesInTheLocalesOrder(string input, string language, string expected) =>
        Assert.Equal(expected, TextTestSupport.Speak(input, language));

    [Theory]
    [InlineData("In 1999.", "In nineteen ninety-nine.")]
    [InlineData("In 2005.", "In two thousand five.")]
    [InlineData("In 2025.", "In twenty twenty-five.")]
    [InlineData("In 1900.", "In nineteen hundred.")]
    [InlineData("In 1905.", "In nineteen oh five.")]
    [InlineData("In the 1990s.", "In the nineteen nineties.")]
    [InlineData("Back in the '80s.", "Back in the eighties.")]
    [InlineData("We have 1,234,567 users.", "We have one million two hundred thirty-four thousand five hundred sixty-seven users.")]
    [InlineData("It is -5 outside.", "It is minus five outside.")]
    [InlineData("Pi is 3.14.", "Pi is three point one four.")]
    [InlineData("The 1st, 2nd, 3rd, 11th, 21st and 100th.", "The first, second, third, eleventh, twenty-first and one hundredth.")]
    [InlineData("Pages 10-20.", "Pages ten to twenty.")]
    [InlineData("Use 5G or covid19.", "Use five G or covid nineteen.")]
    [InlineData("Version 1.2.3 is out.", "Version one dot two dot three is out.")]
    [InlineData("Agent 007.", "Agent zero zero seven.")]
    [InlineData("He is 0 years old.", "He is zero years old.")]
    [InlineData("A list: 1,23 done.", "A list: one, twenty-three done.")]
    public void ReadsNumbers(string input, string expected) => Assert.Equal(expected, TextTestSupport.Speak(input));

    [Theory]
    [InlineData("Run 5 km.", "Run five kilometers.")]
    [InlineData("Lift 10kg.", "Lift ten kilograms.")]
    [InlineData("It is 3 ft tall.", "It is three feet tall.")]
    [InlineData("It is 1 ft tall.", "It is one foot tall.")]
    [InlineData("It is 72°F.", "It is seventy-two degrees Fahrenheit.")]
    [InlineData("It is -3°C.", "It is minus three degrees Celsius.")]
    [InlineData("Use 5 GB.", "Use five gigabytes.")]
    [InlineData("Drive 100 mph.", "Drive one hundred miles per hour.")]
    [InlineData("Wait 250ms.", "Wait two hundred fifty milliseconds.")]
    [InlineData("Save 50% or 3.5%.", "Save fifty percent or three point five percent.")]
    [InlineData("Go 5 kmh.", "Go five kmh.")]
    [InlineData("At 5 W Main.", "At five W Main.")]
    public void ReadsUnitsAndPercentages(string input, string expected) => Assert.Equal(expected, TextTestSupport.Speak(input));

    [Theory]
    [InlineData("Dr. Smith is in.", "Doctor Smith is in.")]
    [InlineData("I saw Dr. Smith.", "I saw Doctor Smith.")]
    [InlineData("Turn onto Elm Dr. now.", "Turn onto Elm Drive now.")]
    [InlineData("He lives at 12 Oak Dr.", "He lives at twelve Oak Drive.")]
    [InlineData("Visit St. Louis.", "Visit Saint Louis.")]
    [InlineData("I visited St. Louis.", "I visited Saint Louis.")]
    [InlineData("She lives on Main St. It is quiet.", "She lives on Main Street. It is quiet.")]
    [InlineData("Go to 42 Main St. in town.", "Go to forty-two Main Street in town.")]
    [InlineData("Mr. and Mrs. Jones met Ms. Lee.", "Mister and Missus Jones met Miz Lee.")]
    [InlineData("Bob Jones Jr. is here.", "Bob Jones Junior is here.")]
    [InlineData("Apples vs. oranges.", "Apples versus oranges.")]
    [InlineData("Fruit, e.g. apples, i.e. food.", "Fruit, for example apples, that is food.")]
    [InlineData("Bread, milk, etc. We left.", "Bread, milk, et cetera. We left.")]
    [InlineData("Acme Inc. and Foo Ltd. agreed.", "Acme Incorporated and Foo Limited agreed.")]
    [InlineData("Try No. 5 now.", "Try number five now.")]
    [InlineData("No. I refuse.", "No. I refuse.")]
    [InlineData("Apt. 3 on Fifth Ave. near Sunset Blvd.", "Apartment three on Fifth Avenue near Sunset Boulevard.")]
    public void ExpandsAbbreviationsByContext(string input, string expected) => Assert.Equal(expected, TextTestSupport.Speak(input));

    [Theory]
    [InlineData("Visit https://www.example.com/help today.", "Visit w w w dot example dot com slash help today.")]
    [InlineData("Write to support@callwaiting.com.", "Write to support at callwaiting dot com.")]
    [InlineData("Write to support@CallWaiting.com.", "Write to support at call waiting dot com.")]
    [InlineData("See example.org/faq.", "See example dot org slash f eigh q.")]
    [InlineData("Go to www.bbc.co.uk now.", "Go to w w w dot b b c dot co dot u k now.")]
    [InlineData("Mail john.doe@mail.example.com today.", "Mail john dot doe at mail dot example dot com today.")]
    public void SpellsUrlsAndEmailAddressesSensibly(string input, string expected) => Assert.Equal(expected, TextTestSupport.Speak(input));

    [Theory]
    [InlineData("Tom & Jerry.", "Tom and Jerry.")]
    [InlineData("We are #1.", "We are number one.")]
    [InlineData("Follow #weekend.", "Follow hashtag weekend.")]
    [InlineData("Ask @support.", "Ask at support.")]
    [InlineData("So 5 + 3 = 8.", "So five plus three equals eight.")]
    [InlineData("Add 3/4 cup.", "Add three quarters cup.")]
    [InlineData("Add 1/2 cup.", "Add one half cup.")]
    [InlineData("Open 24/7.", "Open twenty-four seven.")]
    [InlineData("About ~5 items.", "About about five items.")]
    [InlineData("Use C++ and *bold* text.", "Use C plus plus and bold text.")]
    [InlineData("Growth of 5%.", "Growth of five percent.")]
    [InlineData("Either/or.", "Either slash or.")]
    public void ReadsSymbols(string input, string expected) => Assert.Equal(expected, TextTestSupport.Speak(input));

    [Fact]
    public void Normalizes_text_inside_longer_passages_consistently()
    {
        var text = TextTestSupport.Speak("On Dec 3, 2025 at 9:30 AM, Dr. Smith paid $1,200.50 for 3 GB at 50% off. Call (415) 555-0199.");

        Assert.Equal(
            "On December third, twenty twenty-five at nine thirty A.M., Doctor Smith paid one thousand two hundred dollars and fifty cents "
            + "for three gigabytes at fifty percent off. Call four one five, five five five, zero one nine nine.",
            text);
        Assert.DoesNotContain(text, char.IsAsciiDigit);
    }
}
